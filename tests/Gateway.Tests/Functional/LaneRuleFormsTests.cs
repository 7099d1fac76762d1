using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Tests.Support;
using static Gateway.Tests.Support.LaneSpec;
using static Gateway.Tests.Support.RuleForms;

namespace Gateway.Tests.Functional;

/// <summary>Negated, path and method conditions and the baseline pin, through a live gateway to real backends.</summary>
public class LaneRuleFormsTests
{
    private static JsonObject CheckoutPosts()
    {
        var match = Path("Prefix", "/orders/checkout");
        match["Methods"] = Strings("POST");
        return Match("checkout", "gray", match);
    }

    private static GatewayConfigBuilder Config(BackendSet orders) => orders.AddTo(new GatewayConfigBuilder())
        .Group("trade", ["orders"],
            Match("stable-testers", "base", Header("x-tester", "Exact", "stable")),
            CheckoutPosts(),
            Match("not-prod", "blue", Not("Headers", "x-env", "Exact", "prod")));

    private static async Task<(string Instance, string? Tag)> SendAsync(HttpClient client, HttpMethod method, string path, params (string Name, string Value)[] headers)
    {
        using var request = EchoClient.Get(path, headers);
        request.Method = method;
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var reply = (await response.Content.ReadFromJsonAsync<Gateway.Host.Demo.EchoReply>(Gateway.Host.Demo.EchoReply.JsonOptions))!;
        return (reply.Instance, reply.ReceivedTag);
    }

    [Fact]
    public async Task PathMethodAndNot_RouteToTheirLanes()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray", "blue");
        await using var gateway = await TestGateway.StartAsync(Config(orders));
        var prod = ("x-env", "prod");

        var results = new[]
        {
            await SendAsync(gateway.Client, HttpMethod.Post, "/orders/checkout/1", prod),
            await SendAsync(gateway.Client, HttpMethod.Get, "/orders/checkout/1", prod),
            await SendAsync(gateway.Client, HttpMethod.Post, "/orders/checkouts", prod),
            await SendAsync(gateway.Client, HttpMethod.Get, "/orders/1", ("x-env", "staging")),
            await SendAsync(gateway.Client, HttpMethod.Get, "/orders/1"),
        };

        results.Should().Equal(
            ("orders-gray-1", "gray"),
            ("orders-base-1", null),
            ("orders-base-1", null),
            ("orders-blue-1", "blue"),
            ("orders-blue-1", "blue"));
    }

    [Fact]
    public async Task Pin_StableTesterServedByBaselineUntagged_CountedAsBaseline()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray", "blue");
        await using var gateway = await TestGateway.StartAsync(Config(orders));

        var pinned = new List<(string, string?)>();
        for (var i = 0; i < 5; i++)
        {
            // Without the pin, this request would be taken by the checkout lane and then by not-prod.
            pinned.Add(await SendAsync(gateway.Client, HttpMethod.Post, "/orders/checkout/1", ("x-tester", "stable")));
        }

        var samples = await Eventually.ValueAsync(
            async () => PrometheusText.Parse(await gateway.Admin.GetStringAsync("/metrics")),
            s => s.Sum("gateway_lane_requests_total", ("route", "orders")) >= 5);
        pinned.Should().AllBeEquivalentTo(("orders-base-1", (string?)null));
        samples.Sum("gateway_lane_requests_total", ("route", "orders"), ("lane", "base"), ("served_lane", "base"), ("decision", "baseline")).Should().Be(5);
        samples.Sum("gateway_lane_requests_total", ("route", "orders")).Should().Be(5);
        samples.Sum("gateway_lane_escapes_total", ("route", "orders")).Should().Be(0);
        (samples.Sum("gateway_lane_rules", ("lane", "base")), samples.Sum("gateway_lane_rules", ("lane", "gray")))
            .Should().Be((0, 1), "a pin stamps no tag, so it is no rule of a lane");
    }

    [Fact]
    public async Task AdminExplain_NewConditions_ShowWhatTheySawAndWhetherTheyHeld()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray", "blue");
        await using var gateway = await TestGateway.StartAsync(Config(orders));

        var result = await gateway.Admin.GetFromJsonAsync<JsonElement>("/admin/explain?method=GET&path=/orders/checkout/1&header=x-env:prod");
        var pinned = await gateway.Admin.GetFromJsonAsync<JsonElement>("/admin/explain?method=POST&path=/orders/1&header=x-tester:stable");

        var conditions = result.GetProperty("lanes").EnumerateArray()
            .SelectMany(l => l.GetProperty("conditions").EnumerateArray())
            .Select(c => (c.GetProperty("condition").GetString(), c.GetProperty("value").GetString(), c.GetProperty("matched").GetBoolean()));
        conditions.Should().Equal(
            ("header x-tester Exact stable", null, false),
            ("path Prefix /orders/checkout", "/orders/checkout/1", true),
            ("method in POST", "GET", false),
            ("not header x-env Exact prod", "prod", false));
        result.GetProperty("decision").GetProperty("tag").GetString().Should().Be("base");
        var pin = pinned.GetProperty("lanes")[0];
        (pin.GetProperty("lane").GetString(), pin.GetProperty("result").GetString())
            .Should().Be(("stable-testers", "taken: pinned to the baseline (no tag, later lanes not tried)"));
        pinned.GetProperty("lanes").GetArrayLength().Should().Be(1);
        var decision = pinned.GetProperty("decision");
        (decision.GetProperty("tag").GetString(), decision.GetProperty("lane").GetString(), decision.GetProperty("reason").GetString())
            .Should().Be(("base", "stable-testers", "Pinned"));
        pinned.GetProperty("destinations").GetProperty("outcome").GetString().Should().Be("baseline");
    }

    [Fact]
    public async Task AdminExplain_IssuingLane_SaysAnIdIsIssued()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray");
        await using var gateway = await TestGateway.StartAsync(orders.AddTo(new GatewayConfigBuilder()).Group("web", ["orders"], IssuingCookie("visitors", "gray", 20)));

        var cookieless = await gateway.Admin.GetFromJsonAsync<JsonElement>("/admin/explain?path=/orders/1");
        var returning = await gateway.Admin.GetFromJsonAsync<JsonElement>("/admin/explain?path=/orders/1&header=Cookie:sid%3Dabc");

        var draw = cookieless.GetProperty("lanes")[0].GetProperty("percentage");
        (draw.GetProperty("sticky").GetBoolean(), draw.GetProperty("issuedCookie").GetString()).Should().Be((true, "sid: the request had none; a new id is issued (Set-Cookie)"));
        returning.GetProperty("lanes")[0].GetProperty("percentage").GetProperty("issuedCookie").ValueKind.Should().Be(JsonValueKind.Null);
    }
}
