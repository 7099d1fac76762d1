using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Lanes.Diagnostics;
using Gateway.Lanes.Upstream;
using Gateway.Tests.Support;
using Yarp.ReverseProxy;

namespace Gateway.Tests.Functional;

/// <summary>Destinations that hang or are dead: bounded waits, JSON error bodies, and a log that stays readable.</summary>
public class UpstreamFailureTests
{
    private static JsonObject ActivityTimeout(string timeout) => new() { ["HttpRequest"] = new JsonObject { ["ActivityTimeout"] = timeout } };

    private static async Task<JsonElement> JsonErrorAsync(HttpResponseMessage response)
    {
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/json");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    [Fact]
    public async Task HangingBackend_ShortActivityTimeout_Answers504WithJsonBody()
    {
        await using var backend = await HangingBackend.StartAsync();
        var config = new GatewayConfigBuilder().Route("orders").Destination("orders", "orders-base-1", backend.Url).Cluster("orders", ActivityTimeout("00:00:01"));
        await using var gateway = await TestGateway.StartAsync(config);
        var stopwatch = Stopwatch.StartNew();

        using var response = await gateway.Client.GetAsync("/orders/hang");

        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        response.StatusCode.Should().Be(HttpStatusCode.GatewayTimeout);
        var body = await JsonErrorAsync(response);
        (body.GetProperty("error").GetString(), body.GetProperty("route").GetString()).Should().Be(("upstream_timeout", "orders"));
    }

    [Fact]
    public async Task HangingBackend_ActivityTimeout_AccessLogSays504()
    {
        await using var backend = await HangingBackend.StartAsync();
        var config = new GatewayConfigBuilder().Route("orders").Destination("orders", "orders-base-1", backend.Url).Cluster("orders", ActivityTimeout("00:00:01"));
        using var logs = new CapturingLoggerProvider();
        await using var gateway = await TestGateway.StartAsync(config, configure: builder => builder.Logging.AddProvider(logs));

        using var response = await gateway.Client.GetAsync("/orders/hang");
        var line = await Eventually.ValueAsync(() => Task.FromResult(logs.Entries.FirstOrDefault(e => e.EventId.Id == 2100)), e => e is not null);

        response.StatusCode.Should().Be(HttpStatusCode.GatewayTimeout);
        line!.State.Single(p => p.Key == "StatusCode").Value.Should().Be(504, "the access log says what the client got, not the 502 of a cut-off response");
    }

    [Fact]
    public async Task ClusterWithoutActivityTimeout_GetsTheGatewayDefault_OwnValueKept()
    {
        await using var backend = await HangingBackend.StartAsync();
        var config = new GatewayConfigBuilder()
            .Route("orders").Destination("orders", "orders-base-1", backend.Url)
            .Route("reports").Destination("reports", "reports-base-1", backend.Url).Cluster("reports", ActivityTimeout("00:05:00"));
        await using var gateway = await TestGateway.StartAsync(config);
        var clusters = gateway.Services.GetRequiredService<IProxyStateLookup>();

        clusters.TryGetCluster("orders", out var orders).Should().BeTrue();
        clusters.TryGetCluster("reports", out var reports).Should().BeTrue();

        orders!.Model.Config.HttpRequest!.ActivityTimeout.Should().Be(DefaultActivityTimeoutFilter.DefaultActivityTimeout).And.Be(TimeSpan.FromSeconds(30));
        reports!.Model.Config.HttpRequest!.ActivityTimeout.Should().Be(TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task OnlyDestinationDead_Answers502WithJsonBody()
    {
        var config = new GatewayConfigBuilder().Route("orders").Destination("orders", "orders-base-1", BackendSet.DeadAddress());
        await using var gateway = await TestGateway.StartAsync(config);

        using var response = await gateway.Client.GetAsync("/orders/1");

        response.StatusCode.Should().Be(HttpStatusCode.BadGateway);
        (await JsonErrorAsync(response)).GetProperty("error").GetString().Should().Be("upstream_unreachable");
    }

    [Fact]
    public async Task DeadDestinationWithoutHealthChecks_200RequestsRetriedAway_LogsOneLineWithoutStackTrace()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base");
        var config = orders.AddTo(new GatewayConfigBuilder()).Destination("orders", "orders-base-dead", BackendSet.DeadAddress());
        using var logs = new CapturingLoggerProvider();
        await using var gateway = await TestGateway.StartAsync(config, configure: builder => builder.Logging.AddProvider(logs));

        var startup = logs.Entries.Count;
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 200; i++)
        {
            using var response = await gateway.Client.GetAsync("/orders/1");
            statuses.Add(response.StatusCode);
        }

        var lines = logs.Entries.Skip(startup).Where(e => e.Category != LaneTelemetryMiddleware.AccessLogCategory).ToList();
        statuses.Should().AllSatisfy(s => s.Should().Be(HttpStatusCode.OK));
        lines.Count.Should().BeLessThanOrEqualTo(3, string.Join('\n', lines.Take(5).Select(e => e.Category + " " + e.EventId + " " + e.Message)));
        lines.Should().OnlyContain(e => e.Exception == null && !e.Message.Contains("   at ", StringComparison.Ordinal));
        lines.Should().ContainSingle(e => e.EventId.Id == 2200).Which.Message.Should().Contain("orders-base-dead").And.Contain("Connection refused");
    }
}
