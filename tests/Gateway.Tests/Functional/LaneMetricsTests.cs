using System.Net;
using Gateway.Tests.Support;

namespace Gateway.Tests.Functional;

/// <summary>Lane metrics on the admin listener after real traffic: exact counts per decision and escape kind.</summary>
public sealed class LaneMetricsTests(LaneMetricsTests.Fixture fixture) : IClassFixture<LaneMetricsTests.Fixture>
{
    private readonly LaneTrafficScenario _scenario = fixture.Scenario;

    [Theory]
    [InlineData("shop", "gray", "escaped", "base")]
    [InlineData("shop", "blue", "fallback", "base")]
    [InlineData("shop", "red", "rejected", "none")]
    [InlineData("shop", null, "baseline", "base")]
    [InlineData("echo", "gray", "lane", "gray")]
    [InlineData("echo", null, "baseline", "base")]
    [InlineData("lanes", null, "no_baseline", "none")]
    [InlineData("drain", "gray", "drained", "base")]
    [InlineData("drain", "blue", "lane", "blue")]
    public async Task Requests_AreCountedExactlyByDecision(string route, string? lane, string decision, string servedLane)
    {
        var samples = await _scenario.ScrapeAsync();

        var count = samples.Sum("gateway_lane_requests_total",
            ("route", _scenario.Prefix + "-" + route), ("lane", lane ?? "base"), ("served_lane", servedLane), ("decision", decision));

        count.Should().Be(LaneTrafficScenario.Expected(route, lane));
    }

    [Fact]
    public async Task Escapes_OfEachKind_AreCountedExactly()
    {
        var samples = await _scenario.ScrapeAsync();

        samples.Sum("gateway_lane_escapes_total", ("route", _scenario.Shop), ("kind", "lane_to_baseline"), ("lane", "gray"), ("served_lane", "base"))
            .Should().Be(LaneTrafficScenario.Expected("shop", "gray"));
        samples.Sum("gateway_lane_escapes_total", ("route", _scenario.Echo), ("kind", "upstream"), ("lane", "gray"), ("served_lane", "blue"))
            .Should().Be(LaneTrafficScenario.Expected("echo", "gray"));
        samples.Sum("gateway_lane_escapes_total", ("route", _scenario.Echo), ("lane", "base")).Should().Be(0, "the baseline answers with its own lane");
        samples.Where(s => s.Name == "gateway_lane_escapes_total" && s.Labels["route"].StartsWith(_scenario.Prefix, StringComparison.Ordinal))
            .Sum(s => s.Value).Should().Be(LaneTrafficScenario.Expected("shop", "gray") + LaneTrafficScenario.Expected("echo", "gray"));
    }

    [Fact]
    public async Task Duration_IsRecordedPerLaneAndStatusClass()
    {
        var samples = await _scenario.ScrapeAsync();

        samples.Sum("gateway_lane_request_duration_seconds_count", ("route", _scenario.Echo), ("lane", "gray"), ("status_class", "5xx"))
            .Should().Be(LaneTrafficScenario.Expected("echo", "gray"));
        samples.Sum("gateway_lane_request_duration_seconds_bucket", ("route", _scenario.Echo), ("lane", "base"), ("le", "+Inf"))
            .Should().Be(LaneTrafficScenario.Expected("echo", null));
    }

    [Fact]
    public async Task DestinationsGauge_ShowsTheDeadLaneBeforeTrafficEscapes()
    {
        var samples = await _scenario.ScrapeAsync();

        samples.Sum("gateway_lane_destinations", ("cluster", _scenario.Shop), ("lane", "gray"), ("health", "healthy")).Should().Be(0);
        samples.Sum("gateway_lane_destinations", ("cluster", _scenario.Shop), ("lane", "gray"), ("health", "unhealthy")).Should().Be(1);
        samples.Sum("gateway_lane_destinations", ("cluster", _scenario.Shop), ("lane", "base"), ("health", "healthy")).Should().Be(1);
        samples.Sum("gateway_lane_rules", ("lane", "red")).Should().BeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task DestinationsGauge_CountsDrainingOnesApartFromFailedOnes()
    {
        var samples = await _scenario.ScrapeAsync();

        Health(samples, _scenario.Drain, "gray").Should().Be((0, 0, 1), "the drained lane has no failed destination");
        Health(samples, _scenario.Shop, "gray").Should().Be((0, 1, 1), "beside its draining instance, the dead one is a failure");
        Health(samples, _scenario.Drain, "base").Should().Be((1, 0, 0));
        samples.Should().NotContain(s => s.Name == "gateway_lane_destinations" && s.Labels["cluster"] == _scenario.Drain
            && s.Labels["lane"] == "base" && s.Labels["health"] == "draining", "a draining series is only there while something drains");
        _scenario.DrainingGray.Requests.Should().Be(0);
    }

    private static (double Healthy, double Unhealthy, double Draining) Health(List<PrometheusText.Sample> samples, string cluster, string lane) =>
        (samples.Sum("gateway_lane_destinations", ("cluster", cluster), ("lane", lane), ("health", "healthy")),
            samples.Sum("gateway_lane_destinations", ("cluster", cluster), ("lane", lane), ("health", "unhealthy")),
            samples.Sum("gateway_lane_destinations", ("cluster", cluster), ("lane", lane), ("health", "draining")));

    [Fact]
    public async Task Scrape_PassesPromtoolCheckMetrics()
    {
        var text = await _scenario.Gateway.Admin.GetStringAsync("/metrics");

        var (exitCode, stdout, stderr) = await Tool.RunAsync("promtool", ["check", "metrics"], stdin: text);

        (exitCode, stdout + stderr).Should().Be((0, ""));
    }

    [Fact]
    public async Task PublicListener_NeverServesMetrics_EvenWithTheAdminHostHeader()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Host = _scenario.Gateway.AdminAddress.Authority;

        using var response = await _scenario.Gateway.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        body.Should().NotContain("gateway_lane");
    }

    /// <summary>One scenario, with all its traffic sent, for all the tests of the class.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        internal LaneTrafficScenario Scenario { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Scenario = await LaneTrafficScenario.StartAsync();
            await Scenario.SendWaveAsync(1);
            await Scenario.SendWaveAsync(2);
            await Scenario.WaitUntilRecordedAsync(LaneTrafficScenario.WaveTotal(1) + LaneTrafficScenario.WaveTotal(2));
        }

        public async Task DisposeAsync() => await Scenario.DisposeAsync();
    }
}
