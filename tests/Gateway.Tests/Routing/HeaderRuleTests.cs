using Gateway.Tests.Support;
using static Gateway.Tests.Support.LaneSpec;

namespace Gateway.Tests.Routing;

public class HeaderRuleTests
{
    [Theory]
    [InlineData("1001", "gray")]
    [InlineData("1002", "gray")]
    [InlineData("1003", "base")]
    [InlineData("10011", "base")]
    [InlineData("", "base")]
    public void Match_Exact_OnlyListedValuesMatch(string userId, string expected)
    {
        var snapshot = RuleHarness.Snapshot(Match("vip", "gray", Header("x-user-id", "Exact", "1001", "1002")));

        var tag = snapshot.TagFor(Requests.WithHeaders(("x-user-id", userId)));

        tag.Should().Be(expected);
    }

    /// <summary>A few values are compared one by one, many go through a hash set: both must mean the same.</summary>
    [Theory]
    [InlineData(2, false, "user-1", "gray")]
    [InlineData(2, false, "USER-1", "base")]
    [InlineData(2, true, "USER-1", "gray")]
    [InlineData(2, false, "user-2", "base")]
    [InlineData(40, false, "user-39", "gray")]
    [InlineData(40, false, "USER-39", "base")]
    [InlineData(40, true, "USER-39", "gray")]
    [InlineData(40, false, "user-40", "base")]
    [InlineData(40, false, "user-3", "gray")]
    [InlineData(40, false, "user-", "base")]
    public void Match_Exact_SameMeaningForFewAndManyValues(int count, bool ignoreCase, string value, string expected)
    {
        var values = Enumerable.Range(0, count).Select(i => "user-" + i).ToArray();
        var match = new System.Text.Json.Nodes.JsonObject { ["Headers"] = new System.Text.Json.Nodes.JsonArray(Condition("x-user", "Exact", values, ignoreCase)) };
        var snapshot = RuleHarness.Snapshot(Match("users", "gray", match));

        var tag = snapshot.TagFor(Requests.WithHeaders(("x-user", value)));

        tag.Should().Be(expected);
    }

    [Theory]
    [InlineData(false, "Tester", "base")]
    [InlineData(true, "Tester", "gray")]
    [InlineData(false, "tester", "gray")]
    public void Match_ExactIgnoreCase_ComparesWithoutCaseOnlyWhenAsked(bool ignoreCase, string value, string expected)
    {
        var match = new System.Text.Json.Nodes.JsonObject { ["Headers"] = new System.Text.Json.Nodes.JsonArray(Condition("x-role", "Exact", ["tester"], ignoreCase)) };
        var snapshot = RuleHarness.Snapshot(Match("testers", "gray", match));

        var tag = snapshot.TagFor(Requests.WithHeaders(("x-role", value)));

        tag.Should().Be(expected);
    }

    [Theory]
    [InlineData("qa-alice", "gray")]
    [InlineData("dev-bob", "gray")]
    [InlineData("ops-carol", "base")]
    [InlineData("qa", "base")]
    public void Match_Prefix_AnyPrefixMatches(string value, string expected)
    {
        var snapshot = RuleHarness.Snapshot(Match("staff", "gray", Header("x-user", "Prefix", "qa-", "dev-")));

        var tag = snapshot.TagFor(Requests.WithHeaders(("x-user", value)));

        tag.Should().Be(expected);
    }

    [Theory]
    [InlineData("u-123", "gray")]
    [InlineData("u-123x", "base")]
    [InlineData("xu-1", "base")]
    [InlineData("admin", "gray")]
    public void Match_Regex_AnyExpressionMatches(string value, string expected)
    {
        var snapshot = RuleHarness.Snapshot(Match("ids", "gray", Header("x-user", "Regex", @"^u-\d+$", "adm")));

        var tag = snapshot.TagFor(Requests.WithHeaders(("x-user", value)));

        tag.Should().Be(expected);
    }

    [Fact]
    public void Match_Exists_MatchesAnyValueIncludingEmpty()
    {
        var snapshot = RuleHarness.Snapshot(Match("debug", "gray", Header("x-debug", "Exists")));

        snapshot.TagFor(Requests.WithHeaders(("x-debug", "1"))).Should().Be("gray");
        snapshot.TagFor(Requests.WithHeaders(("x-debug", ""))).Should().Be("gray");
        snapshot.TagFor(Requests.WithHeaders(("x-other", "1"))).Should().Be("base");
    }

    [Fact]
    public void Match_RepeatedHeader_AnyOfItsValuesMatches()
    {
        var snapshot = RuleHarness.Snapshot(Match("vip", "gray", Header("x-user-id", "Exact", "1001")));

        var tag = snapshot.TagFor(Requests.WithHeaders(("x-user-id", "7"), ("x-user-id", "1001")));

        tag.Should().Be("gray");
    }

    [Fact]
    public void Match_HeaderNameIsCaseInsensitive()
    {
        var snapshot = RuleHarness.Snapshot(Match("vip", "gray", Header("X-User-Id", "Exact", "1001")));

        var tag = snapshot.TagFor(Requests.WithHeaders(("x-user-id", "1001")));

        tag.Should().Be("gray");
    }

    [Theory]
    [InlineData("1001", "cn", "gray")]
    [InlineData("1001", "us", "base")]
    [InlineData("9", "cn", "base")]
    public void Match_SeveralConditions_AllMustHold(string user, string region, string expected)
    {
        var match = new System.Text.Json.Nodes.JsonObject
        {
            ["Headers"] = new System.Text.Json.Nodes.JsonArray(Condition("x-user-id", "Exact", ["1001"]), Condition("x-region", "Exact", ["cn", "hk"])),
        };
        var snapshot = RuleHarness.Snapshot(Match("cn-vip", "gray", match));

        var tag = snapshot.TagFor(Requests.WithHeaders(("x-user-id", user), ("x-region", region)));

        tag.Should().Be(expected);
    }

    [Fact]
    public void Evaluate_LanesInOrder_FirstMatchWins()
    {
        var snapshot = RuleHarness.Snapshot(
            Match("first", "blue", Header("x-user-id", "Exact", "1001")),
            Match("second", "gray", Header("x-user-id", "Prefix", "10")));

        snapshot.TagFor(Requests.WithHeaders(("x-user-id", "1001"))).Should().Be("blue");
        snapshot.TagFor(Requests.WithHeaders(("x-user-id", "1002"))).Should().Be("gray");
    }

    [Fact]
    public void Regex_PathologicalPatternOnLongInput_IsLinear()
    {
        // ^(a+)+$ backtracks exponentially on a backtracking engine; the non-backtracking engine answers at once.
        var snapshot = RuleHarness.Snapshot(Match("evil", "gray", Header("x-evil", "Regex", "^(a+)+$")));
        var request = Requests.WithHeaders(("x-evil", new string('a', 32 * 1024) + "!"));

        var tag = snapshot.TagFor(request);

        tag.Should().Be("base");
    }
}
