using System.Text;
using Gateway.Host.Config;
using Gateway.Routing.Config;
using Gateway.Tests.Support;
using static Gateway.Tests.Support.LaneSpec;

namespace Gateway.Tests.Functional;

/// <summary>
/// Metrics of a config with many routes and clusters. OpenTelemetry keeps 2,000 series per metric unless told
/// otherwise and counts every label set past that in one <c>otel_metric_overflow</c> series: a config of 500 clusters
/// with a lane each lost the destinations gauge of most of them, and a thousand routes with traffic in two lanes lost
/// their request counts, with nothing in the docs saying so.
/// </summary>
public sealed class MetricSeriesLimitTests(MetricSeriesLimitTests.Fixture fixture) : IClassFixture<MetricSeriesLimitTests.Fixture>
{
    private const string Overflow = "otel_metric_overflow";

    [Fact]
    public void ThousandClustersWithALane_EachClustersDestinationsAreReported()
    {
        var byCluster = fixture.ByLabel("gateway_lane_destinations", "cluster");

        for (var i = 0; i < Fixture.Routes; i++)
        {
            var samples = byCluster[Fixture.Route(i)];
            samples.Sum("gateway_lane_destinations", ("lane", "gray"), ("health", "healthy")).Should().Be(1, Fixture.Route(i));
            samples.Sum("gateway_lane_destinations", ("lane", "base"), ("health", "healthy")).Should().Be(1, Fixture.Route(i));
        }

        fixture.Samples.Should().NotContain(s => s.Labels.ContainsKey(Overflow));
    }

    [Fact]
    public void ThousandRoutesWithTrafficInTwoLanes_EachRoutesRequestsAreCounted()
    {
        var requests = fixture.ByLabel("gateway_lane_requests_total", "route");
        var durations = fixture.ByLabel("gateway_lane_request_duration_seconds_count", "route");

        for (var i = 0; i < Fixture.Routes; i++)
        {
            var route = Fixture.Route(i);
            requests[route].Sum("gateway_lane_requests_total", ("lane", "gray"), ("served_lane", "gray"), ("decision", "lane")).Should().Be(1, route);
            requests[route].Sum("gateway_lane_requests_total", ("lane", "base"), ("served_lane", "base"), ("decision", "baseline")).Should().Be(1, route);
            durations[route].Sum("gateway_lane_request_duration_seconds_count").Should().Be(2, route);
        }

        fixture.Samples.Should().NotContain(s => s.Labels.ContainsKey(Overflow));
    }

    /// <summary>Past the configured limit nothing is lost: the overflow series carries the count of the label sets left out.</summary>
    [Fact]
    public async Task LimitExceeded_NewLabelSetsAreCountedInTheOverflowSeries()
    {
        await using var backends = await BackendSet.StartAsync("svc", "base");
        var config = Fixture.Config(backends, ["base"], routes: 12).Set("Telemetry:MetricSeriesLimit", 5);
        await using var gateway = await TestGateway.StartAsync(config);

        for (var i = 0; i < 12; i++)
        {
            await gateway.Client.GetEchoAsync("/" + Fixture.Route(i) + "/x");
        }

        var samples = PrometheusText.Parse(await gateway.Admin.GetStringAsync("/metrics"));
        samples.Where(s => s.Name == "gateway_lane_requests_total" && !s.Labels.ContainsKey(Overflow)).Should().HaveCount(5);
        samples.Sum("gateway_lane_requests_total", (Overflow, "true")).Should().Be(7);
        samples.Sum("gateway_lane_requests_total").Should().Be(12);
    }

    [Theory]
    [InlineData("0", "Telemetry:MetricSeriesLimit: 0 is outside 1-1000000")]
    [InlineData("1000001", "Telemetry:MetricSeriesLimit: 1000001 is outside 1-1000000")]
    [InlineData("\"many\"", "Telemetry:MetricSeriesLimit: ")]
    public void Compile_LimitOutOfRange_IsAProblemWithItsPath(string value, string expected)
    {
        var problems = new List<ConfigProblem>();
        var json = """{ "Telemetry": { "MetricSeriesLimit": VALUE } }""".Replace("VALUE", value, StringComparison.Ordinal);
        var document = ConfigDocument.Parse(Encoding.UTF8.GetBytes(json), "gateway.json", problems)!;

        GatewayConfigLoader.Compile(document, ".", problems).Should().BeNull();

        problems.Should().ContainSingle().Which.ToString().Should().StartWith(expected);
    }

    /// <summary>
    /// One gateway with <see cref="Routes"/> routes, each with its own cluster of a baseline and a gray destination
    /// (4 series each in the destinations gauge), and one untagged and one gray request through each route.
    /// </summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public const int Routes = 1_050;

        private BackendSet? _backends;
        private TestGateway? _gateway;

        internal List<PrometheusText.Sample> Samples { get; private set; } = [];

        public static string Route(int i) => "r" + i;

        internal static GatewayConfigBuilder Config(BackendSet backends, string[] lanes, int routes)
        {
            var config = new GatewayConfigBuilder();
            for (var i = 0; i < routes; i++)
            {
                config.Route(Route(i));
                foreach (var lane in lanes)
                {
                    config.Destination(Route(i), backends[lane]);
                }
            }

            return config.Group("all", [.. Enumerable.Range(0, routes).Select(Route)], Match("testers", "gray", Header("x-lane", "Exact", "gray")));
        }

        public async Task InitializeAsync()
        {
            _backends = await BackendSet.StartAsync("svc", "base", "gray");
            _gateway = await TestGateway.StartAsync(Config(_backends, ["base", "gray"], Routes));
            await Parallel.ForAsync(0, Routes, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            {
                (await _gateway.Client.GetEchoAsync("/" + Route(i) + "/x")).Lane.Should().Be("base");
                (await _gateway.Client.GetEchoAsync("/" + Route(i) + "/x", ("x-lane", "gray"))).Lane.Should().Be("gray");
            });
            Samples = PrometheusText.Parse(await _gateway.Admin.GetStringAsync("/metrics"));
        }

        /// <summary>The samples of one metric by the value of one label (an index: a thousand sums over the whole scrape were slow).</summary>
        internal Dictionary<string, List<PrometheusText.Sample>> ByLabel(string name, string label) =>
            Samples.Where(s => s.Name == name && s.Labels.ContainsKey(label)).GroupBy(s => s.Labels[label]).ToDictionary(g => g.Key, g => g.ToList());

        public async Task DisposeAsync()
        {
            await (_gateway?.DisposeAsync() ?? ValueTask.CompletedTask);
            await (_backends?.DisposeAsync() ?? ValueTask.CompletedTask);
        }
    }
}
