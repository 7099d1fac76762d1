using Gateway.Routing.Tagging;
using Gateway.Tests.Support;
using static Gateway.Tests.Support.LaneSpec;

namespace Gateway.Tests.Routing;

/// <summary>A lane with <c>"Tag": "base"</c> takes its requests to the baseline: no tag, later lanes not tried.</summary>
public class BaselinePinTests
{
    private static readonly System.Text.Json.Nodes.JsonObject Stable = Match("stable-testers", "base", Header("x-tester", "Exact", "stable"));

    [Fact]
    public void Decide_PinMatches_BaselineNamingThePinAndLaterLanesNotTried()
    {
        var snapshot = RuleHarness.Snapshot(Stable, Percentage("everyone", "gray", 100));
        var random = new ScriptedRandom(0);

        var decision = snapshot.Decide(Requests.WithHeaders(("x-tester", "stable"), ("x-user-id", "1")), random);

        (decision.Tag, decision.LaneName, decision.GroupName, decision.Reason).Should().Be(((string?)null, "stable-testers", "trade", LaneReason.Pinned));
        decision.IsBaseline.Should().BeTrue();
        random.Calls.Should().Be(0);
    }

    [Fact]
    public void Decide_PinDoesNotMatch_LaterLanesDecide()
    {
        var snapshot = RuleHarness.Snapshot(Stable, Percentage("everyone", "gray", 100));

        var decision = snapshot.Decide(Requests.WithHeaders(("x-tester", "other"), ("x-user-id", "1")));

        (decision.Tag, decision.LaneName).Should().Be(("gray", "everyone"));
    }

    [Fact]
    public void Decide_PercentagePin_HoldsItsShareOnTheBaseline()
    {
        // 20 % of users pinned first, then 50 % of all users to gray: gray gets its exact 50 % of the rest.
        var snapshot = RuleHarness.Snapshot(Percentage("holdout", "base", 20), Percentage("canary", "gray", 50));
        var tags = Enumerable.Range(0, 10_000).Select(i => snapshot.Decide(Requests.WithHeaders(("x-user-id", LaneAssignments.User(i))))).ToList();

        // 10,000 users: sd 40 for 20 %, 50 for 50 %; +/- 200 is 4 sd or more.
        tags.Count(d => d.Reason == LaneReason.Pinned).Should().BeCloseTo(2_000, 200);
        tags.Count(d => d.Tag == "gray").Should().BeCloseTo(5_000, 200);
    }

    [Fact]
    public void Compile_PinLane_IsNotATagATrustedClientCanName()
    {
        var snapshot = RuleHarness.Snapshot(Stable, Match("vip", "gray", Header("x-user-id", "Exact", "1")));

        snapshot.TagDecisions.Keys.Should().Equal("gray");
    }

    [Fact]
    public void Validate_PinWithRejectFallback_IsAnError()
    {
        var problems = RuleHarness.Config(Match("stable", "base", Header("x-tester", "Exists"), fallback: "Reject")).Problems().Select(p => p.ToString());

        problems.Should().Equal("Lanes:Groups:trade:Lanes[0]:Fallback: a lane with Tag 'base' pins its requests to the baseline and has no lane to fall back from; leave Fallback out");
    }

    [Fact]
    public void Validate_BaseInOtherCase_SuggestsThePin()
    {
        var problems = RuleHarness.Config(Match("stable", "BASE", Header("x-tester", "Exists"))).Problems().Select(p => p.ToString());

        problems.Should().Equal("Lanes:Groups:trade:Lanes[0]:Tag: 'BASE' is reserved for the baseline; did you mean 'base' (pins the lane's requests to the baseline)?");
    }
}
