using System.Text.Json.Nodes;
using Gateway.Routing.Config;
using Gateway.Routing.Tagging;
using Gateway.Tests.Support;
using Microsoft.AspNetCore.Http;
using static Gateway.Tests.Support.LaneSpec;
using static Gateway.Tests.Support.RuleForms;

namespace Gateway.Tests.Routing;

/// <summary>Rule evaluation runs on every request: header and percentage rules must not allocate.</summary>
public class AllocationTests
{
    private static long AllocatedPerCall(GatewaySnapshot snapshot, HttpContext context, string expectedTag)
    {
        var random = new ScriptedRandom(0);
        snapshot.TagFor(context, random).Should().Be(expectedTag);
        for (var i = 0; i < 1_000; i++)
        {
            snapshot.Decide(context, random);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            snapshot.Decide(context, random);
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / 10_000;
    }

    public static TheoryData<string, JsonObject, string> Lanes => new()
    {
        { "exact", Match("l", "gray", Header("x-user-id", "Exact", "1000", "1001", "1002")), "gray" },
        { "exact-many", Match("l", "gray", Header("x-user-id", "Exact", [.. Enumerable.Range(0, 50).Select(i => (1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture))])), "gray" },
        { "exact-ignore-case", Match("l", "gray", new JsonObject { ["Headers"] = new JsonArray(Condition("x-user-id", "Exact", ["1001"], ignoreCase: true)) }), "gray" },
        { "prefix", Match("l", "gray", Header("x-user-id", "Prefix", "10")), "gray" },
        { "regex", Match("l", "gray", Header("x-user-id", "Regex", "^1[0-9]+$")), "gray" },
        { "exists", Match("l", "gray", Header("x-user-id", "Exists")), "gray" },
        { "miss", Match("l", "gray", Header("x-other", "Exact", "1")), "base" },
        { "cookie", Match("l", "gray", new JsonObject { ["Cookies"] = new JsonArray(Condition("uid", "Exact", ["42"])) }), "gray" },
        { "percentage-in", Percentage("l", "gray", 100), "gray" },
        { "percentage-out", Percentage("l", "gray", 0), "base" },
        { "percentage-cookie", Percentage("l", "gray", 100, "cookie:uid"), "gray" },
    };

    [Theory]
    [MemberData(nameof(Lanes))]
    public void Decide_HeaderCookieAndPercentageRules_AllocateNothing(string kind, JsonObject lane, string expectedTag)
    {
        var snapshot = RuleHarness.Snapshot(lane);
        var context = Requests.WithHeaders(("x-user-id", "1001"), ("Cookie", "a=b; uid=42"));

        var bytes = AllocatedPerCall(snapshot, context, expectedTag);

        bytes.Should().Be(0, kind);
    }

    [Fact]
    public void Decide_ManyLanesBeforeTheMatch_AllocateNothing()
    {
        var lanes = Enumerable.Range(0, 50).Select(i => Match("l" + i, "gray", Header("x-user-id", "Exact", "u" + i))).Append(Percentage("canary", "blue", 50)).ToArray();
        var snapshot = RuleHarness.Snapshot(lanes);
        var context = Requests.WithHeaders(("x-user-id", "u49"));

        AllocatedPerCall(snapshot, context, "gray").Should().Be(0);
    }

    public static TheoryData<string, JsonObject, string> NewForms => new()
    {
        { "not-exact", Match("l", "gray", Not("Headers", "x-env", "Exact", "prod")), "gray" },
        { "not-exists", Match("l", "gray", Not("Headers", "x-debug", "Exists")), "gray" },
        { "not-cookie", Match("l", "gray", Not("Cookies", "canary", "Exact", "never")), "gray" },
        { "query", Match("l", "gray", new JsonObject { ["Query"] = new JsonArray(Condition("env", "Exact", ["gray"])) }), "gray" },
        { "query-decoded", Match("l", "gray", new JsonObject { ["Query"] = new JsonArray(Condition("q", "Exact", ["a b+c"])) }), "gray" },
        { "not-query", Match("l", "gray", Not("Query", "v", "Regex", "^1$")), "gray" },
        { "path-exact", Match("l", "gray", Path("Exact", "/orders/checkout/1")), "gray" },
        { "path-prefix", Match("l", "gray", Path("Prefix", "/orders/checkout")), "gray" },
        { "path-regex", Match("l", "gray", Path("Regex", "^/orders/[a-z]+/[0-9]+$")), "gray" },
        { "methods", Match("l", "gray", Methods("GET", "POST")), "gray" },
        { "pin", Match("l", "base", Header("x-user-id", "Exact", "1001")), "base" },
        { "percentage-query", Percentage("l", "gray", 100, "query:uid"), "gray" },
        { "percentage-query-decoded", Percentage("l", "gray", 100, "query:q"), "gray" },
    };

    [Theory]
    [MemberData(nameof(NewForms))]
    public void Decide_NegatedPathMethodQueryAndPinRules_AllocateNothing(string kind, JsonObject lane, string expectedTag)
    {
        var snapshot = RuleHarness.Snapshot(lane);
        var context = Requests.Create(query: "?env=gray&uid=42&q=a+b%2Bc", headers: [("x-user-id", "1001"), ("Cookie", "a=b; uid=42")]);
        context.Request.Path = "/orders/checkout/1";

        var bytes = AllocatedPerCall(snapshot, context, expectedTag);

        bytes.Should().Be(0, kind);
    }

    [Fact]
    public void Decide_IssuingLaneWhenTheCookieIsPresent_AllocatesNothing()
    {
        var snapshot = RuleHarness.Snapshot(IssuingCookie("l", "gray", 100, cookie: "uid"));
        var context = Requests.WithHeaders(("Cookie", "a=b; uid=42"));
        var ids = new ScriptedCookieIds(1);
        var random = new ScriptedRandom(0);
        for (var i = 0; i < 1_000; i++)
        {
            snapshot.Decide(context, RuleHarness.RouteId, random, ids, out _);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            snapshot.Decide(context, RuleHarness.RouteId, random, ids, out _);
        }

        ((GC.GetAllocatedBytesForCurrentThread() - before) / 10_000).Should().Be(0);
        ids.Calls.Should().Be(0);
    }
}
