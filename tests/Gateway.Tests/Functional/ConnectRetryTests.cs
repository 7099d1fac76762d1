using System.Net;
using System.Text.Json.Nodes;
using Gateway.Lanes.Diagnostics;
using Gateway.Tests.Support;
using static Gateway.Tests.Support.LaneSpec;

namespace Gateway.Tests.Functional;

/// <summary>
/// A lane whose instances all refuse connections, without health checks to notice: the lane is as unusable as if
/// health checks had taken its instances out, so its requests go per its <c>Fallback</c> instead of answering 502,
/// and each request costs at most two refused connections however many instances are dead.
/// </summary>
public class ConnectRetryTests
{
    private const int Requests = 20;

    private static JsonObject Testers(string? fallback = null) => Match("testers", "gray", Header("x-user-id", "Exact", "1001"), fallback);

    /// <summary>Orders with the given live backends and <paramref name="dead"/> gray destinations that refuse connections.</summary>
    private static GatewayConfigBuilder WithDeadGray(BackendSet orders, int dead, string? fallback = null)
    {
        var config = orders.AddTo(new GatewayConfigBuilder());
        for (var i = 1; i <= dead; i++)
        {
            config.Destination("orders", "orders-gray-dead-" + i, BackendSet.DeadAddress(), "gray");
        }

        return config.Group("trade", ["orders"], Testers(fallback));
    }

    private static Task<TestGateway> StartAsync(GatewayConfigBuilder config, CapturingLoggerProvider logs) =>
        TestGateway.StartAsync(config, configure: builder =>
        {
            builder.Configuration["Logging:LogLevel:Gateway.Lanes"] = "Debug";
            builder.Logging.AddProvider(logs);
        });

    private static async Task<List<(HttpStatusCode Status, string Body)>> SendTestersAsync(TestGateway gateway)
    {
        var replies = new List<(HttpStatusCode, string)>();
        for (var i = 0; i < Requests; i++)
        {
            using var response = await gateway.Client.SendAsync(EchoClient.Get("/orders/1", ("x-user-id", "1001")));
            replies.Add((response.StatusCode, await response.Content.ReadAsStringAsync()));
        }

        return replies;
    }

    private static int FailedAttempts(CapturingLoggerProvider logs) => logs.Entries.Count(e => e.EventId.Id == 2202);

    [Fact]
    public async Task AllLaneInstancesRefuse_BaselineFallback_ServedByBaselineWithTagAsEscape()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base");
        using var logs = new CapturingLoggerProvider();
        await using var gateway = await StartAsync(WithDeadGray(orders, 2), logs);

        var replies = await SendTestersAsync(gateway);
        var samples = PrometheusText.Parse(await gateway.Admin.GetStringAsync("/metrics"));

        replies.Should().OnlyContain(r => r.Status == HttpStatusCode.OK && r.Body.Contains("\"lane\":\"base\"") && r.Body.Contains("\"receivedTag\":\"gray\""));
        orders["base"].Requests.Should().Be(Requests);
        samples.Sum("gateway_lane_requests_total", ("route", "orders"), ("lane", "gray"), ("served_lane", "base"), ("decision", "escaped")).Should().Be(Requests);
        samples.Sum("gateway_lane_escapes_total", ("route", "orders"), ("lane", "gray"), ("served_lane", "base"), ("kind", "lane_to_baseline")).Should().Be(Requests);
        samples.Sum("gateway_lane_retries_total", ("route", "orders"), ("lane", "gray"), ("result", "retried")).Should().Be(2 * Requests, "one resend in the lane, one to the baseline");
        var access = logs.Entries.Where(e => e.Category == LaneTelemetryMiddleware.AccessLogCategory).ToList();
        access.Should().HaveCount(Requests).And.OnlyContain(e =>
            Field(e, "Decision") == "escaped" && Field(e, "ServedLane") == "base" && Field(e, "DestinationId") == "orders-base-1" && Field(e, "StatusCode") == "200");
    }

    /// <summary>
    /// A trusted client's tag naming a lane deployed in the cluster (no rule stamps it) is that lane's name in every
    /// metric: the retries were labelled <c>other</c> while the requests had the name, so the two could not be joined.
    /// </summary>
    [Fact]
    public async Task TrustedTagOfADeployedLane_InstancesRefuse_RetriesLabelledAsItsRequests()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base");
        using var logs = new CapturingLoggerProvider();
        var config = orders.AddTo(new GatewayConfigBuilder()).Group("trade", ["orders"], Testers()).Set("Lanes:IncomingTag:Trust", "All");
        config.Destination("orders", "orders-dev-alice-dead-1", BackendSet.DeadAddress(), "dev-alice");
        config.Destination("orders", "orders-dev-alice-dead-2", BackendSet.DeadAddress(), "dev-alice");
        await using var gateway = await StartAsync(config, logs);

        using var response = await gateway.Client.SendAsync(EchoClient.Get("/orders/1", ("x-mse-tag", "dev-alice")));
        var samples = PrometheusText.Parse(await gateway.Admin.GetStringAsync("/metrics"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        samples.Sum("gateway_lane_requests_total", ("route", "orders"), ("lane", "dev-alice"), ("decision", "escaped")).Should().Be(1);
        samples.Sum("gateway_lane_retries_total", ("route", "orders"), ("lane", "dev-alice"), ("result", "retried")).Should().Be(2);
    }

    [Fact]
    public async Task ManyLaneInstancesRefuse_EachRequestCostsTwoRefusedConnectionsAtMost()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base");
        using var logs = new CapturingLoggerProvider();
        await using var gateway = await StartAsync(WithDeadGray(orders, 50), logs);

        var replies = await SendTestersAsync(gateway);

        replies.Should().OnlyContain(r => r.Status == HttpStatusCode.OK);
        FailedAttempts(logs).Should().Be(2 * Requests, "the lane's pick and one resend in the lane, never one per dead instance");
        logs.Entries.Count(e => e.EventId.Id == 2010).Should().Be(2 * Requests);
    }

    [Fact]
    public async Task AllLaneInstancesRefuse_StrictLane_Answers503LaneUnavailable()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base");
        using var logs = new CapturingLoggerProvider();
        await using var gateway = await StartAsync(WithDeadGray(orders, 3, fallback: "Reject"), logs);

        var replies = await SendTestersAsync(gateway);
        var samples = PrometheusText.Parse(await gateway.Admin.GetStringAsync("/metrics"));

        replies.Should().OnlyContain(r => r.Status == HttpStatusCode.ServiceUnavailable && r.Body.Contains("\"error\":\"lane_unavailable\""));
        orders["base"].Requests.Should().Be(0);
        FailedAttempts(logs).Should().Be(2 * Requests);
        samples.Sum("gateway_lane_requests_total", ("route", "orders"), ("lane", "gray"), ("served_lane", "none"), ("decision", "rejected")).Should().Be(Requests);
        samples.Sum("gateway_lane_retries_total", ("route", "orders"), ("lane", "gray"), ("result", "rejected")).Should().Be(Requests);
        samples.Sum("gateway_lane_retries_total", ("route", "orders"), ("lane", "gray"), ("result", "retried")).Should().Be(Requests);
    }

    [Fact]
    public async Task AllLaneInstancesRefuse_NoUsableBaseline_Answers503BaselineUnavailable()
    {
        await using var orders = await BackendSet.StartAsync("orders", "blue");
        using var logs = new CapturingLoggerProvider();
        await using var gateway = await StartAsync(WithDeadGray(orders, 2), logs);

        var replies = await SendTestersAsync(gateway);
        var samples = PrometheusText.Parse(await gateway.Admin.GetStringAsync("/metrics"));

        replies.Should().OnlyContain(r => r.Status == HttpStatusCode.ServiceUnavailable && r.Body.Contains("\"error\":\"baseline_unavailable\""));
        orders["blue"].Requests.Should().Be(0);
        samples.Sum("gateway_lane_requests_total", ("route", "orders"), ("lane", "gray"), ("served_lane", "none"), ("decision", "no_baseline")).Should().Be(Requests);
        samples.Sum("gateway_lane_escapes_total", ("lane", "gray")).Should().Be(0, "nothing served the request outside its lane");
    }

    [Fact]
    public async Task OneOfTwoLaneInstancesRefuses_RequestsStayInTheLane()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray");
        using var logs = new CapturingLoggerProvider();
        await using var gateway = await StartAsync(WithDeadGray(orders, 1), logs);

        var replies = await SendTestersAsync(gateway);
        var samples = PrometheusText.Parse(await gateway.Admin.GetStringAsync("/metrics"));

        replies.Should().OnlyContain(r => r.Status == HttpStatusCode.OK && r.Body.Contains("\"instance\":\"orders-gray-1\""));
        orders["base"].Requests.Should().Be(0);
        samples.Sum("gateway_lane_escapes_total", ("lane", "gray")).Should().Be(0);
        samples.Sum("gateway_lane_requests_total", ("lane", "gray"), ("decision", "lane")).Should().Be(Requests);
    }

    /// <summary>
    /// Gray is deployed nowhere, so its requests fall back to the baseline by design; the one baseline instance refusing
    /// is a failure of the baseline, not an escape of the lane (it once turned the decision into one).
    /// </summary>
    [Fact]
    public async Task LaneNotDeployedAndTheBaselineRefuses_Answers502AsAFallbackNotAnEscape()
    {
        using var logs = new CapturingLoggerProvider();
        var config = new GatewayConfigBuilder().Route("orders").Destination("orders", "orders-base-dead", BackendSet.DeadAddress())
            .Group("trade", ["orders"], Testers());
        await using var gateway = await StartAsync(config, logs);

        var replies = await SendTestersAsync(gateway);
        var samples = PrometheusText.Parse(await gateway.Admin.GetStringAsync("/metrics"));

        replies.Should().OnlyContain(r => r.Status == HttpStatusCode.BadGateway && r.Body.Contains("\"error\":\"upstream_unreachable\""));
        FailedAttempts(logs).Should().Be(Requests, "the baseline has no other instance to resend to");
        samples.Sum("gateway_lane_requests_total", ("route", "orders"), ("lane", "gray"), ("decision", "fallback")).Should().Be(Requests);
        samples.Sum("gateway_lane_escapes_total", ("lane", "gray")).Should().Be(0);
    }

    private static string? Field(CapturingLoggerProvider.Entry entry, string key) =>
        entry.State.FirstOrDefault(pair => pair.Key == key).Value?.ToString();
}
