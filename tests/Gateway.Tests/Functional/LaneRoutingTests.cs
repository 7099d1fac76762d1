using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Tests.Support;
using static Gateway.Tests.Support.LaneSpec;

namespace Gateway.Tests.Functional;

/// <summary>The gateway and echo backends on loopback ports, asserted over real HTTP.</summary>
public class LaneRoutingTests
{
    private static readonly JsonObject Testers = Match("testers", "gray", Header("x-user-id", "Exact", "1001", "1002"));

    [Fact]
    public async Task HeaderRule_Testers_ReachGrayInstanceWithTag()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray");
        await using var gateway = await TestGateway.StartAsync(orders.AddTo(new GatewayConfigBuilder()).Group("trade", ["orders"], Testers));

        var tester = await gateway.Client.GetEchoAsync("/orders/42", ("x-user-id", "1001"));
        var other = await gateway.Client.GetEchoAsync("/orders/42", ("x-user-id", "7"));

        (tester.Instance, tester.ReceivedTag, tester.Path).Should().Be(("orders-gray-1", "gray", "/orders/42"));
        (other.Instance, other.ReceivedTag).Should().Be(("orders-base-1", null));
    }

    [Fact]
    public async Task Baseline_UntaggedRequests_NeverReachLaneInstances()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray", "blue");
        await using var gateway = await TestGateway.StartAsync(orders.AddTo(new GatewayConfigBuilder()).Group("trade", ["orders"], Testers));

        var lanes = await LaneAssignments.ServedLanesAsync(gateway.Client, "/orders/1", 500);

        lanes.Should().OnlyContain(lane => lane == "base");
        (orders["gray"].Requests, orders["blue"].Requests).Should().Be((0, 0));
    }

    [Fact]
    public async Task Split_ThirtyTwentyFifty_Over10000DistinctUsers()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray", "blue");
        var config = orders.AddTo(new GatewayConfigBuilder())
            .Group("trade", ["orders"], Percentage("canary-a", "gray", 30), Percentage("canary-b", "blue", 20));
        await using var gateway = await TestGateway.StartAsync(config);

        var lanes = await LaneAssignments.ServedLanesAsync(gateway.Client, "/orders/1", 10_000);

        // 10,000 users: binomial sd is 46 for 30 %, 40 for 20 %, 50 for 50 %. +/- 250 is at least 5 sd, so a
        // fair hash passes for any key set, while a wrong layout (20 % of the remaining 70 % = 14 %) misses by 600.
        lanes.Count(l => l == "gray").Should().BeCloseTo(3_000, 250);
        lanes.Count(l => l == "blue").Should().BeCloseTo(2_000, 250);
        lanes.Count(l => l == "base").Should().BeCloseTo(5_000, 250);
        (orders["gray"].Requests, orders["blue"].Requests, orders["base"].Requests).Should().Be(
            (lanes.Count(l => l == "gray"), lanes.Count(l => l == "blue"), lanes.Count(l => l == "base")));
    }

    [Fact]
    public async Task Ramp_FiveTwentyFifty_MovesNoUserOutOfTheRampedLane()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray", "blue");
        var stages = new List<string[]>();
        foreach (var percentage in new[] { 5.0, 20.0, 50.0 })
        {
            var config = orders.AddTo(new GatewayConfigBuilder())
                .Group("trade", ["orders"], Percentage("ramped", "gray", percentage), Percentage("other", "blue", 20));
            await using var gateway = await TestGateway.StartAsync(config);
            stages.Add(await LaneAssignments.ServedLanesAsync(gateway.Client, "/orders/1", 4_000));
        }

        for (var stage = 1; stage < stages.Count; stage++)
        {
            var pairs = stages[stage - 1].Zip(stages[stage]).ToList();
            pairs.Where(p => p.First == "gray").Should().OnlyContain(p => p.Second == "gray", "nobody leaves the ramped lane");
            pairs.Where(p => p.First == "blue").Should().OnlyContain(p => p.Second == "blue" || p.Second == "gray", "the other lane's users only move into the ramped lane");
        }

        // Shares at each stage: 5/20/50 % of 4,000 users (sd <= 32); +/- 160 is 5 sd.
        stages.Select(s => s.Count(l => l == "gray")).Should().SatisfyRespectively(
            n => n.Should().BeCloseTo(200, 160), n => n.Should().BeCloseTo(800, 160), n => n.Should().BeCloseTo(2_000, 160));
    }

    [Fact]
    public async Task Fallback_LaneNotDeployedInCluster_BaselineServesWithTagKept()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray");
        var config = orders.AddTo(new GatewayConfigBuilder()).Group("trade", ["orders"], Match("blue-team", "blue", Header("x-team", "Exact", "blue")));
        await using var gateway = await TestGateway.StartAsync(config);

        var reply = await gateway.Client.GetEchoAsync("/orders/1", ("x-team", "blue"));

        (reply.Instance, reply.ReceivedTag).Should().Be(("orders-base-1", "blue"));
        orders["gray"].Requests.Should().Be(0);
    }

    [Fact]
    public async Task Fallback_LaneInstancesUnhealthy_BaselineServesWithTagKept()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base");
        var config = orders.AddTo(new GatewayConfigBuilder())
            .Destination("orders", "orders-gray-dead", BackendSet.DeadAddress(), lane: "gray")
            .Cluster("orders", LaneSpec.ActiveHealthCheck())
            .Group("trade", ["orders"], Testers);
        await using var gateway = await TestGateway.StartAsync(config);

        var reply = await PollAsync(() => TrySendAsync(gateway.Client, ("x-user-id", "1001")), r => r?.Instance == "orders-base-1");

        reply!.ReceivedTag.Should().Be("gray");
    }

    [Fact]
    public async Task Reject_StrictLaneWithoutInstance_Answers503NamingTheLane()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base");
        var config = orders.AddTo(new GatewayConfigBuilder())
            .Group("trade", ["orders"], Match("blue-team", "blue", Header("x-team", "Exact", "blue"), fallback: "Reject"));
        await using var gateway = await TestGateway.StartAsync(config);

        using var response = await gateway.Client.SendAsync(EchoClient.Get("/orders/1", ("x-team", "blue")));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        (body.GetProperty("error").GetString(), body.GetProperty("lane").GetString(), body.GetProperty("route").GetString())
            .Should().Be(("lane_unavailable", "blue", "orders"));
        orders["base"].Requests.Should().Be(0);
    }

    [Fact]
    public async Task NoBaseline_UntaggedRequestToLaneOnlyCluster_Answers503()
    {
        await using var orders = await BackendSet.StartAsync("orders", "gray");
        await using var gateway = await TestGateway.StartAsync(orders.AddTo(new GatewayConfigBuilder()).Group("trade", ["orders"], Testers));

        using var untagged = await gateway.Client.SendAsync(EchoClient.Get("/orders/1", ("x-user-id", "7")));
        var tester = await gateway.Client.GetEchoAsync("/orders/1", ("x-user-id", "1001"));

        untagged.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await untagged.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString().Should().Be("baseline_unavailable");
        tester.Instance.Should().Be("orders-gray-1");
        orders["gray"].Requests.Should().Be(1);
    }

    [Fact]
    public async Task ForgedTag_TrustNone_IsRemovedBeforeForwarding()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray");
        await using var gateway = await TestGateway.StartAsync(orders.AddTo(new GatewayConfigBuilder()).Group("trade", ["orders"], Testers));

        var reply = await gateway.Client.GetEchoAsync("/orders/1", ("x-mse-tag", "gray"), ("x-user-id", "7"));

        (reply.Instance, reply.ReceivedTag).Should().Be(("orders-base-1", null));
    }

    [Fact]
    public async Task ClientTag_TrustAll_IsKeptAndRoutesToThatLane()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray", "dev-alice");
        var config = orders.AddTo(new GatewayConfigBuilder()).Group("trade", ["orders"], Testers).Set("Lanes:IncomingTag:Trust", "All");
        await using var gateway = await TestGateway.StartAsync(config);

        var alice = await gateway.Client.GetEchoAsync("/orders/1", ("x-mse-tag", "dev-alice"), ("x-user-id", "1001"));
        var unknown = await gateway.Client.GetEchoAsync("/orders/1", ("x-mse-tag", "dev-bob"));

        (alice.Instance, alice.ReceivedTag).Should().Be(("orders-dev-alice-1", "dev-alice"));
        (unknown.Instance, unknown.ReceivedTag).Should().Be(("orders-base-1", "dev-bob"), "a branch without an instance here falls back, keeping its tag");
    }

    [Fact]
    public async Task City_HeaderFromTrustedProxy_RoutesGuangdongToGray()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray");
        var config = orders.AddTo(new GatewayConfigBuilder())
            .Group("trade", ["orders"], Match("south", "gray", new JsonObject { ["Cities"] = Strings("guangdong") }))
            .Set("Lanes:ClientIp:TrustedProxies", Strings("127.0.0.1"));
        await using var gateway = await TestGateway.StartAsync(config);

        var guangzhou = await gateway.Client.GetEchoAsync("/orders/1", ("X-Client-Ip-City", "guangzhou,guangdong,cn"));
        var hangzhou = await gateway.Client.GetEchoAsync("/orders/1", ("X-Client-Ip-City", "hangzhou,zhejiang,cn"));

        (guangzhou.Lane, hangzhou.Lane).Should().Be(("gray", "base"));
    }

    [Fact]
    public async Task City_FromCsvDatabase_UsesForwardedClientAddress()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray");
        var config = orders.AddTo(new GatewayConfigBuilder())
            .Group("trade", ["orders"], Match("south", "gray", new JsonObject { ["Cities"] = Strings("guangdong") }))
            .Set("Lanes:ClientIp:TrustedProxies", Strings("127.0.0.1"))
            .Set("Lanes:ClientIp:CityHeader", "")
            .Set("Lanes:ClientIp:CityDatabase", "Data/cities-sample.csv");
        await using var gateway = await TestGateway.StartAsync(config, baseDirectory: AppContext.BaseDirectory);

        var shenzhen = await gateway.Client.GetEchoAsync("/orders/1", ("X-Forwarded-For", "192.0.2.200"));
        var beijing = await gateway.Client.GetEchoAsync("/orders/1", ("X-Forwarded-For", "203.0.113.1"));
        var forged = await gateway.Client.GetEchoAsync("/orders/1", ("X-Client-Ip-City", "guangzhou,guangdong,cn"));

        (shenzhen.Lane, beijing.Lane, forged.Lane).Should().Be(("gray", "base", "base"));
    }

    private static async Task<Gateway.Host.Demo.EchoReply?> TrySendAsync(HttpClient client, params (string, string)[] headers)
    {
        using var response = await client.SendAsync(EchoClient.Get("/orders/1", headers));
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<Gateway.Host.Demo.EchoReply>(Gateway.Host.Demo.EchoReply.JsonOptions) : null;
    }

    private static async Task<T> PollAsync<T>(Func<Task<T>> probe, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var value = await probe();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                done(value).Should().BeTrue("the condition should hold within 15 s");
                return value;
            }

            await Task.Delay(100);
        }
    }
}
