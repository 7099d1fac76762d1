using System.Text.Json.Nodes;
using Gateway.Routing.Config;
using Gateway.Tests.Support;
using Microsoft.AspNetCore.Http;
using static Gateway.Tests.Support.LaneSpec;

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
}
