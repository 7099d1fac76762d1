using Gateway.Tests.Support;

namespace Gateway.Tests.Host;

public class DemoTests
{
    /// <summary>The things the demo's printed curl commands show, checked through the real executable.</summary>
    [Fact]
    public async Task Demo_WithoutConfig_ShowsLaneKeptFallbackReentryAndPercentage()
    {
        await using var gateway = await GatewayProcess.StartAsync();
        using var client = new HttpClient { BaseAddress = gateway.Address };

        var tester = await client.GetChainAsync("/shop/checkout", ("x-user-id", "1001"));
        var users = await LaneAssignments.ServedLanesAsync(client, "/shop/checkout", 400);
        var blue = await client.GetChainAsync("/shop/checkout", ("x-team", "blue"));

        tester.Reply.Hops().Should().Be("web:gray:gray > orders:base:gray > payments:gray:gray");
        tester.ServedLane.Should().Be("gray");
        users.Count(l => l == "gray").Should().BeCloseTo(120, 50, "30 % of 400 users (sd 9)");
        blue.Reply.Hops().Should().Be("web:base:blue > orders:base:blue > payments:base:blue");
        gateway.Output.Should().Contain("curl -s -H 'x-user-id: 1001' " + gateway.Address.ToString().TrimEnd('/') + "/shop/checkout");
    }

    /// <summary>The demo's last printed curl shows the gateway's counts of what the curls before it did.</summary>
    [Fact]
    public async Task Demo_WithoutConfig_PrintsTheAdminMetricsCommand_WhichShowsTheDecisions()
    {
        await using var gateway = await GatewayProcess.StartAsync();
        using var client = new HttpClient { BaseAddress = gateway.Address };
        using var admin = new HttpClient { BaseAddress = gateway.AdminAddress };

        await client.GetChainAsync("/shop/checkout", ("x-user-id", "1001"));
        await client.GetChainAsync("/shop/checkout", ("x-team", "blue"));
        var metrics = await admin.GetStringAsync("/metrics");

        gateway.Output.Should().Contain("curl -s " + gateway.AdminAddress.ToString().TrimEnd('/') + "/metrics | grep -E '^gateway_lane_(requests|escapes)_total'");
        metrics.Should().MatchRegex("(?m)^gateway_lane_requests_total\\{[^}]*decision=\"lane\"[^}]*lane=\"gray\"")
            .And.MatchRegex("(?m)^gateway_lane_requests_total\\{[^}]*decision=\"fallback\"[^}]*lane=\"blue\"");
    }
}
