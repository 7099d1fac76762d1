using System.Globalization;
using System.Text.Json.Nodes;
using Gateway.Routing.Config;
using Gateway.Tests.Support;
using static Gateway.Tests.Support.LaneSpec;

namespace Gateway.Tests.Routing;

public class PercentageRuleTests
{
    private const int Users = 100_000;

    private static string User(int i) => "user-" + i.ToString(CultureInfo.InvariantCulture);

    private static Dictionary<string, int> Split(GatewaySnapshot snapshot, int users = Users)
    {
        var counts = new Dictionary<string, int>();
        for (var i = 0; i < users; i++)
        {
            var tag = snapshot.TagFor(Requests.WithHeaders(("x-user-id", User(i))));
            counts[tag] = counts.GetValueOrDefault(tag) + 1;
        }

        return counts;
    }

    private static string[] Assign(GatewaySnapshot snapshot, int users) =>
        [.. Enumerable.Range(0, users).Select(i => snapshot.TagFor(Requests.WithHeaders(("x-user-id", User(i)))))];

    [Fact]
    public void Split_ThirtyThenTwenty_GivesThirtyTwentyFifty()
    {
        var snapshot = RuleHarness.Snapshot(Percentage("canary-a", "gray", 30), Percentage("canary-b", "blue", 20));

        var counts = Split(snapshot);

        // 100,000 users: sd of a 30 % share is sqrt(1e5 * .3 * .7) = 145, of 20 % is 126, of 50 % is 158.
        // +/- 700 (about 0.7 percentage points) is over 4.4 sd for each, so a fair hash never fails it while a
        // layout error (e.g. 20 % of the remaining 70 % = 14 %) misses by thousands.
        counts["gray"].Should().BeCloseTo(30_000, 700);
        counts["blue"].Should().BeCloseTo(20_000, 700);
        counts["base"].Should().BeCloseTo(50_000, 700);
    }

    [Fact]
    public void Split_DecimalPercentage_IsHonoured()
    {
        var snapshot = RuleHarness.Snapshot(Percentage("tiny", "gray", 2.5));

        var counts = Split(snapshot);

        // 2.5 % of 100,000 = 2,500, sd = 49; +/- 250 is 5 sd.
        counts["gray"].Should().BeCloseTo(2_500, 250);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(100, Users)]
    public void Split_ZeroAndHundred_AreExact(double percentage, int expectedGray)
    {
        var snapshot = RuleHarness.Snapshot(Percentage("all-or-none", "gray", percentage));

        var counts = Split(snapshot);

        counts.GetValueOrDefault("gray").Should().Be(expectedGray);
    }

    [Fact]
    public void Split_PercentageWithMatch_TakesShareOfMatchingRequestsOnly()
    {
        var snapshot = RuleHarness.Snapshot(Percentage("cn-canary", "gray", 50, match: Header("x-region", "Exact", "cn")));
        var cn = 0;
        var other = 0;

        for (var i = 0; i < 20_000; i++)
        {
            cn += snapshot.TagFor(Requests.WithHeaders(("x-user-id", User(i)), ("x-region", "cn"))) == "gray" ? 1 : 0;
            other += snapshot.TagFor(Requests.WithHeaders(("x-user-id", User(i)), ("x-region", "us"))) == "gray" ? 1 : 0;
        }

        // 50 % of 20,000 = 10,000, sd = 71; +/- 400 is over 5 sd.
        cn.Should().BeCloseTo(10_000, 400);
        other.Should().Be(0);
    }

    [Fact]
    public void Assign_SameUser_SameLaneOnEveryRequestAndEveryCompile()
    {
        var lanes = new[] { Percentage("canary-a", "gray", 30), Percentage("canary-b", "blue", 20) };
        var first = Assign(RuleHarness.Snapshot(lanes), 5_000);

        var again = Assign(RuleHarness.Snapshot(lanes), 5_000);
        var third = Assign(RuleHarness.Snapshot(lanes), 5_000);

        again.Should().Equal(first);
        third.Should().Equal(first);
    }

    [Fact]
    public void Assign_LaneSaltsDiffer_SoTwoLanesDoNotPickTheSameUsers()
    {
        // Two 50 % lanes in different groups: with independent salts about half of lane one's users are in lane two.
        var one = Assign(RuleHarness.Snapshot(Percentage("one", "gray", 50)), 20_000);
        var two = Assign(RuleHarness.Snapshot(Percentage("two", "gray", 50)), 20_000);

        var both = one.Zip(two).Count(p => p.First == "gray" && p.Second == "gray");

        // Expected 5,000 (a quarter), sd = 61; identical salts would give 10,000.
        both.Should().BeCloseTo(5_000, 350);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Ramp_FiveTwentyFifty_MovesUsersOnlyIntoTheRampedLane(bool rampedLaneFirst)
    {
        JsonObject[] Lanes(double ramped) => rampedLaneFirst
            ? [Percentage("ramped", "gray", ramped), Percentage("other", "blue", 20)]
            : [Percentage("other", "blue", 20), Percentage("ramped", "gray", ramped)];
        var stages = new[] { 5.0, 20.0, 50.0 }.Select(p => Assign(RuleHarness.Snapshot(Lanes(p)), 50_000)).ToArray();

        for (var stage = 1; stage < stages.Length; stage++)
        {
            var before = stages[stage - 1];
            var after = stages[stage];
            for (var user = 0; user < before.Length; user++)
            {
                if (before[user] == "gray")
                {
                    after[user].Should().Be("gray", "a user in the ramped lane stays there (user {0})", user);
                }

                if (before[user] == "blue")
                {
                    after[user].Should().BeOneOf(["blue", "gray"], "the other lane's users move only into the ramped lane");
                }
            }
        }

        // The other lane keeps its exact share at every stage (sd of 20 % of 50,000 is 89).
        stages.Should().OnlyContain(stage => Math.Abs(stage.Count(t => t == "blue") - 10_000) < 450);
    }

    [Fact]
    public void Ramp_LastPercentageLane_TouchesNoOtherLane()
    {
        var at20 = Assign(RuleHarness.Snapshot(Percentage("other", "blue", 20), Percentage("ramped", "gray", 20)), 50_000);

        var at50 = Assign(RuleHarness.Snapshot(Percentage("other", "blue", 20), Percentage("ramped", "gray", 50)), 50_000);

        at20.Zip(at50).Should().OnlyContain(p => p.First == p.Second || (p.First == "base" && p.Second == "gray"));
    }

    [Fact]
    public void Bucket_RequestWithoutKey_DrawsFromTheRandomSource()
    {
        var snapshot = RuleHarness.Snapshot(Percentage("canary", "gray", 30));
        var random = new ScriptedRandom(100_000, 900_000);

        var first = snapshot.TagFor(Requests.WithHeaders(), random);
        var second = snapshot.TagFor(Requests.WithHeaders(), random);

        (first, second, random.Calls).Should().Be(("gray", "base", 2));
    }

    [Theory]
    [InlineData("cookie:uid", "Cookie", "uid=user-7")]
    [InlineData("query:uid", null, "?uid=user-7")]
    [InlineData("header:x-user-id", "x-user-id", "user-7")]
    public void Bucket_StickyKeyForms_ReadTheirValue(string stickyKey, string? header, string value)
    {
        var snapshot = RuleHarness.Snapshot(Percentage("canary", "gray", 50, stickyKey));
        var random = new ScriptedRandom(0);
        var request = header is null ? Requests.Create(query: value) : Requests.WithHeaders((header, value));

        var tags = Enumerable.Range(0, 20).Select(_ => snapshot.TagFor(request, random)).Distinct().ToList();

        tags.Should().ContainSingle();
        random.Calls.Should().Be(0, "a request with a key never draws at random");
    }

    [Fact]
    public void Bucket_ClientIpKey_IsStickyPerAddress()
    {
        var snapshot = RuleHarness.Snapshot(Percentage("canary", "gray", 30, "clientIp"));
        var random = new ScriptedRandom(0);

        var gray = Enumerable.Range(0, 10_000).Count(i => snapshot.TagFor(Requests.Create(remoteIp: "10.1." + (i / 256) + "." + (i % 256)), random) == "gray");

        gray.Should().BeCloseTo(3_000, 230, "30 % of 10,000 addresses (sd 46)");
        random.Calls.Should().Be(0);
    }
}
