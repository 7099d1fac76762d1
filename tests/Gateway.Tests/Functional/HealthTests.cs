using System.Net;
using System.Text.Json.Nodes;
using Gateway.Host.Demo;
using Gateway.Tests.Support;
using static Gateway.Tests.Support.LaneSpec;

namespace Gateway.Tests.Functional;

/// <summary>Dead and failing lane instances: users see neither 502s nor 500s once the gateway knows, and lanes recover.</summary>
public class HealthTests
{
    private static readonly JsonObject Testers = Match("testers", "gray", Header("x-user-id", "Exact", "1001"));

    private static Task<HttpResponseMessage> SendTesterAsync(TestGateway gateway) =>
        gateway.Client.SendAsync(EchoClient.Get("/orders/1", ("x-user-id", "1001")));

    private static JsonObject PassiveServerErrors(string reactivation) => new()
    {
        ["HealthCheck"] = new JsonObject
        {
            ["Passive"] = new JsonObject { ["Enabled"] = true, ["Policy"] = "ServerErrors", ["ReactivationPeriod"] = reactivation },
        },
        ["Metadata"] = new JsonObject { ["ServerErrorsHealthPolicy.Threshold"] = "2" },
    };

    [Fact]
    public async Task RefusedConnection_AnotherLaneInstanceExists_RetriedThereNoFailure()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray");
        var config = orders.AddTo(new GatewayConfigBuilder())
            .Destination("orders", "orders-gray-dead", BackendSet.DeadAddress(), "gray")
            .Group("trade", ["orders"], Testers);
        await using var gateway = await TestGateway.StartAsync(config);

        var replies = new List<EchoReply>();
        for (var i = 0; i < 40; i++)
        {
            replies.Add(await gateway.Client.GetEchoAsync("/orders/1", ("x-user-id", "1001")));
        }

        replies.Should().OnlyContain(r => r.Instance == "orders-gray-1" && r.ReceivedTag == "gray");
        var metrics = PrometheusText.Parse(await gateway.Admin.GetStringAsync("/metrics"));
        metrics.Sum("gateway_lane_retries_total", ("route", "orders"), ("lane", "gray"), ("result", "retried")).Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task RefusedConnection_OnlyLaneInstanceDead_FallsBackWithTagThenRecoversWhenItComesBack()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base");
        var dead = BackendSet.DeadAddress();
        var config = orders.AddTo(new GatewayConfigBuilder())
            .Destination("orders", "orders-gray-1", dead, "gray")
            .Cluster("orders", ActiveHealthCheck())
            .Group("trade", ["orders"], Testers);
        await using var gateway = await TestGateway.StartAsync(config);

        for (var i = 0; i < 20; i++)
        {
            var reply = await gateway.Client.GetEchoAsync("/orders/1", ("x-user-id", "1001"));
            (reply.Lane, reply.ReceivedTag).Should().Be(("base", "gray"), "no 502 while the lane instance is dead");
        }

        await using var revived = await EchoBackend.StartAsync("orders", "gray", "orders-gray-1", urls: dead.TrimEnd('/'));
        var recovered = await Eventually.ValueAsync(() => gateway.Client.GetEchoAsync("/orders/1", ("x-user-id", "1001")), r => r.Lane == "gray");
        recovered.ReceivedTag.Should().Be("gray");
    }

    [Fact]
    public async Task RefusedConnection_StrictLane_Answers503NotBadGateway()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base");
        var config = orders.AddTo(new GatewayConfigBuilder())
            .Destination("orders", "orders-gray-1", BackendSet.DeadAddress(), "gray")
            .Group("trade", ["orders"], Match("testers", "gray", Header("x-user-id", "Exact", "1001"), fallback: "Reject"));
        await using var gateway = await TestGateway.StartAsync(config);

        using var response = await SendTesterAsync(gateway);

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await response.Content.ReadAsStringAsync()).Should().Contain("lane_unavailable");
    }

    [Fact]
    public async Task ServerErrors_LaneInstanceAnswering5xx_IsTakenOutThenRecovers()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray");
        orders["gray"].Status = 500;
        var config = orders.AddTo(new GatewayConfigBuilder()).Cluster("orders", PassiveServerErrors("00:00:01")).Group("trade", ["orders"], Testers);
        await using var gateway = await TestGateway.StartAsync(config);

        var first = new List<HttpStatusCode>();
        for (var i = 0; i < 2; i++)
        {
            using var response = await SendTesterAsync(gateway);
            first.Add(response.StatusCode);
        }

        var fallback = await Eventually.ValueAsync(() => gateway.Client.GetEchoAsync("/orders/1", ("x-user-id", "1001")), r => r.Lane == "base");
        orders["gray"].Status = 200;
        var recovered = await Eventually.ValueAsync(() => gateway.Client.GetEchoAsync("/orders/1", ("x-user-id", "1001")), r => r.Lane == "gray");

        first.Should().Equal(HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError);
        fallback.ReceivedTag.Should().Be("gray");
        recovered.Instance.Should().Be("orders-gray-1");
    }

    /// <summary>
    /// A header value Kestrel accepts as UTF-8 (<c>café</c>) once made the forwarder's HttpClient throw (it sends ASCII
    /// only by default): 502, counted as the destination's failure, so anonymous clients could take a lane's instances
    /// out. It is forwarded as the client sent it, unless the cluster sets <c>HttpClient:RequestHeaderEncoding</c>.
    /// </summary>
    [Fact]
    public async Task ServerErrors_ClientsUtf8HeaderValues_AreForwardedAndTheLaneInstanceStaysIn()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray");
        var config = orders.AddTo(new GatewayConfigBuilder()).Cluster("orders", PassiveServerErrors("00:01:00")).Group("trade", ["orders"], Testers);
        await using var gateway = await TestGateway.StartAsync(config);
        using var utf8Client = new HttpClient(new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => System.Text.Encoding.UTF8 }) { BaseAddress = gateway.Client.BaseAddress };

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await utf8Client.SendAsync(EchoClient.Get("/orders/1", ("x-user-id", "1001"), ("x-name", "caf\u00e9 \u5317\u4eac")));
            statuses.Add(response.StatusCode);
        }

        var after = await gateway.Client.GetEchoAsync("/orders/1", ("x-user-id", "1001"));

        statuses.Should().AllBeEquivalentTo(HttpStatusCode.OK);
        after.Instance.Should().Be("orders-gray-1", "a client's header never takes a destination out");
    }

    [Fact]
    public async Task HealthState_SurvivesConfigReload()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray");
        orders["gray"].Status = 500;
        var config = orders.AddTo(new GatewayConfigBuilder()).Cluster("orders", PassiveServerErrors("00:01:00")).Group("trade", ["orders"], Testers);
        using var directory = new ConfigDirectory(config.ToJson(), mounted: false);
        await using var gateway = await TestGateway.StartFromFileAsync(directory.File);
        for (var i = 0; i < 2; i++)
        {
            using var response = await SendTesterAsync(gateway);
        }

        orders["gray"].Status = 200;
        directory.Rewrite(config.Group("more", [], Match("qa", "gray", Header("x-qa", "Exists"))).ToJson());
        await Eventually.ValueAsync(() => gateway.Admin.GetStringAsync("/admin/config"), s => s.Contains("\"success\"", StringComparison.Ordinal));
        var afterReload = await gateway.Client.GetEchoAsync("/orders/1", ("x-user-id", "1001"));

        afterReload.Lane.Should().Be("base", "the gray instance stays marked unhealthy across the reload (reactivation in 1 minute)");
    }

    /// <summary>Orders with two gray destinations, one draining, and a blue one, draining: testers go gray, x-team blue.</summary>
    private static GatewayConfigBuilder Draining(BackendSet orders, EchoBackend gray2, EchoBackend blue)
    {
        var config = orders.AddTo(new GatewayConfigBuilder())
            .Destination("orders", gray2).Destination("orders", blue)
            .Group("trade", ["orders"], Testers, Match("blue-team", "blue", Header("x-team", "Exists")));
        config.Root["ReverseProxy"]!["Clusters"]!["orders"]!["Destinations"]!["orders-gray-2"]!["Metadata"]!["draining"] = "true";
        config.Root["ReverseProxy"]!["Clusters"]!["orders"]!["Destinations"]!["orders-blue-1"]!["Metadata"]!["draining"] = "true";
        return config;
    }

    [Fact]
    public async Task Draining_DestinationGetsNoNewRequests_AllDrainingLaneFallsBack()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray");
        await using var gray2 = await EchoBackend.StartAsync("orders", "gray", "orders-gray-2");
        await using var blue = await EchoBackend.StartAsync("orders", "blue", "orders-blue-1");
        await using var gateway = await TestGateway.StartAsync(Draining(orders, gray2, blue));

        for (var i = 0; i < 30; i++)
        {
            await gateway.Client.GetEchoAsync("/orders/1", ("x-user-id", "1001"));
        }

        var blueReply = await gateway.Client.GetEchoAsync("/orders/1", ("x-team", "1"));

        (orders["gray"].Requests, gray2.Requests).Should().Be((30, 0));
        (blueReply.Lane, blueReply.ReceivedTag, blue.Requests).Should().Be(("base", "blue", 0));
    }

    [Fact]
    public async Task Draining_WholeLane_IsAPlannedFallbackNotAnEscape()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray");
        await using var gray2 = await EchoBackend.StartAsync("orders", "gray", "orders-gray-2");
        await using var blue = await EchoBackend.StartAsync("orders", "blue", "orders-blue-1");
        await using var gateway = await TestGateway.StartAsync(Draining(orders, gray2, blue));

        await gateway.Client.GetEchoAsync("/orders/1", ("x-team", "1"));
        var samples = PrometheusText.Parse(await gateway.Admin.GetStringAsync("/metrics"));

        samples.Sum("gateway_lane_requests_total", ("lane", "blue"), ("served_lane", "base"), ("decision", "drained")).Should().Be(1, "every blue instance was drained on purpose");
        samples.Sum("gateway_lane_escapes_total").Should().Be(0);
        Health(samples, "blue").Should().Be((0, 0, 1), "its destination is there, draining, not failed");
        Health(samples, "gray").Should().Be((1, 0, 1));
        Health(samples, "base").Should().Be((1, 0, 0));
    }

    [Fact]
    public async Task Draining_WholeStrictLane_Answers503SayingItIsDrained()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base");
        await using var blue = await EchoBackend.StartAsync("orders", "blue", "orders-blue-1");
        var config = orders.AddTo(new GatewayConfigBuilder()).Destination("orders", blue)
            .Group("trade", ["orders"], Match("blue-team", "blue", Header("x-team", "Exists"), fallback: "Reject"))
            .Set("ReverseProxy:Clusters:orders:Destinations:orders-blue-1:Metadata:draining", "true");
        await using var gateway = await TestGateway.StartAsync(config);

        using var response = await gateway.Client.SendAsync(EchoClient.Get("/orders/1", ("x-team", "1")));
        var body = await response.Content.ReadAsStringAsync();
        var samples = PrometheusText.Parse(await gateway.Admin.GetStringAsync("/metrics"));

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        body.Should().Contain("lane_unavailable").And.Contain("every destination of the lane is draining");
        samples.Sum("gateway_lane_requests_total", ("lane", "blue"), ("decision", "rejected")).Should().Be(1, "a strict lane drained whole rejects, as its config says");
        (blue.Requests, samples.Sum("gateway_lane_escapes_total")).Should().Be((0, 0));
    }

    private static (double Healthy, double Unhealthy, double Draining) Health(List<PrometheusText.Sample> samples, string lane) =>
        (samples.Sum("gateway_lane_destinations", ("cluster", "orders"), ("lane", lane), ("health", "healthy")),
            samples.Sum("gateway_lane_destinations", ("cluster", "orders"), ("lane", lane), ("health", "unhealthy")),
            samples.Sum("gateway_lane_destinations", ("cluster", "orders"), ("lane", lane), ("health", "draining")));
}
