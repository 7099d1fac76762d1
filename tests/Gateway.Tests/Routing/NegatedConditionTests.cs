using Gateway.Tests.Support;
using static Gateway.Tests.Support.LaneSpec;
using static Gateway.Tests.Support.RuleForms;

namespace Gateway.Tests.Routing;

/// <summary><c>"Not": true</c> holds exactly when the condition without it does not, a missing value included.</summary>
public class NegatedConditionTests
{
    [Theory]
    [InlineData("x-env", "prod", "base")]
    [InlineData("x-env", "staging", "gray")]
    [InlineData("x-other", "prod", "gray")]
    public void Match_NotExactHeader_HoldsForOtherValuesAndMissingHeader(string header, string value, string expected)
    {
        var snapshot = RuleHarness.Snapshot(Match("not-prod", "gray", Not("Headers", "x-env", "Exact", "prod")));

        var tag = snapshot.TagFor(Requests.WithHeaders((header, value)));

        tag.Should().Be(expected);
    }

    [Theory]
    [InlineData("x-debug", "", "base")]
    [InlineData("x-debug", "1", "base")]
    [InlineData("x-other", "1", "gray")]
    public void Match_NotExists_MeansAbsent(string header, string value, string expected)
    {
        var snapshot = RuleHarness.Snapshot(Match("no-debug", "gray", Not("Headers", "x-debug", "Exists")));

        var tag = snapshot.TagFor(Requests.WithHeaders((header, value)));

        tag.Should().Be(expected);
    }

    [Theory]
    [InlineData("canary=never", "base")]
    [InlineData("canary=always", "gray")]
    [InlineData("other=1", "gray")]
    [InlineData("", "gray")]
    public void Match_NotCookie_IsTheNeverCookieOfIngressNginx(string cookieHeader, string expected)
    {
        var snapshot = RuleHarness.Snapshot(Match("beta", "gray", Not("Cookies", "canary", "Exact", "never")));

        var tag = snapshot.TagFor(Requests.WithHeaders(("Cookie", cookieHeader)));

        tag.Should().Be(expected);
    }

    [Theory]
    [InlineData("?v=1", "base")]
    [InlineData("?v=1&v=2", "base")]
    [InlineData("?v=2", "gray")]
    [InlineData("?V=1", "gray")]
    [InlineData("", "gray")]
    public void Match_NotQueryRegex_HoldsWhenNoValueMatches(string query, string expected)
    {
        var snapshot = RuleHarness.Snapshot(Match("not-v1", "gray", Not("Query", "v", "Regex", "^1$")));

        var tag = snapshot.TagFor(Requests.Create(query: query));

        tag.Should().Be(expected);
    }

    [Fact]
    public void Match_NotAndPlainConditionsTogether_AreAnded()
    {
        var match = Not("Headers", "x-env", "Exact", "prod");
        match["Headers"]!.AsArray().Add(Condition("x-team", "Exact", ["blue"]));
        var snapshot = RuleHarness.Snapshot(Match("blue-not-prod", "blue", match));

        var tags = new[]
        {
            snapshot.TagFor(Requests.WithHeaders(("x-team", "blue"))),
            snapshot.TagFor(Requests.WithHeaders(("x-team", "blue"), ("x-env", "prod"))),
            snapshot.TagFor(Requests.WithHeaders(("x-env", "dev"))),
        };

        tags.Should().Equal("blue", "base", "base");
    }
}
