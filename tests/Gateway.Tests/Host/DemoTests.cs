using Gateway.Tests.Support;

namespace Gateway.Tests.Host;

public class DemoTests
{
    /// <summary>The three things the demo's printed curl commands show, checked through the real executable.</summary>
    [Fact]
    public async Task Demo_WithoutConfig_ShowsHeaderRoutingPercentageAndFallback()
    {
        await using var gateway = await GatewayProcess.StartAsync();
        using var client = new HttpClient { BaseAddress = gateway.Address };

        var tester = await client.GetEchoAsync("/api/orders/42", ("x-user-id", "1001"));
        var users = await LaneAssignments.ServedLanesAsync(client, "/api/users/1", 400);
        var blue = await client.GetEchoAsync("/api/orders/42", ("x-team", "blue"));

        (tester.Service, tester.Lane, tester.ReceivedTag).Should().Be(("orders", "gray", "gray"));
        users.Count(l => l == "gray").Should().BeCloseTo(120, 50, "30 % of 400 users (sd 9)");
        (blue.Lane, blue.ReceivedTag).Should().Be(("base", "blue"));
        gateway.Output.Should().Contain("curl -s -H 'x-user-id: 1001' " + gateway.Address.ToString().TrimEnd('/') + "/api/orders/42");
    }
}
