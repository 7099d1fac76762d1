using System.Text.Json.Nodes;
using Gateway.Tests.Support;
using static Gateway.Tests.Support.LaneSpec;

namespace Gateway.Tests.Routing;

public class QueryRuleTests
{
    private static JsonObject Query(string name, string mode, params string[] values) => new() { ["Query"] = new JsonArray(Condition(name, mode, values)) };

    [Theory]
    [InlineData("?env=gray", "Exact", "gray", "gray")]
    [InlineData("?a=1&env=gray", "Exact", "gray", "gray")]
    [InlineData("?env=blue", "Exact", "gray", "base")]
    [InlineData("?env=a%20b", "Exact", "a b", "gray")]
    [InlineData("?env=gray-1", "Prefix", "gray", "gray")]
    [InlineData("?env=v2", "Regex", "^v[0-9]$", "gray")]
    [InlineData("?env=", "Exists", null, "gray")]
    [InlineData("?other=1", "Exists", null, "base")]
    [InlineData("", "Exists", null, "base")]
    public void Match_ReadsTheDecodedParameter(string query, string mode, string? value, string expected)
    {
        var snapshot = RuleHarness.Snapshot(Match("q", "gray", Query("env", mode, value is null ? [] : [value])));

        var tag = snapshot.TagFor(Requests.Create(query: query));

        tag.Should().Be(expected);
    }

    [Theory]
    [InlineData("?env=gray", "gray")]
    [InlineData("?Env=gray", "base")]
    [InlineData("?ENV=gray", "base")]
    [InlineData("?%65nv=gray", "gray")]
    public void Match_ParameterName_IsCaseSensitive(string query, string expected)
    {
        var snapshot = RuleHarness.Snapshot(Match("q", "gray", Query("env", "Exact", "gray")));

        var tag = snapshot.TagFor(Requests.Create(query: query));

        tag.Should().Be(expected);
    }

    [Theory]
    [InlineData("?env=GRAY", "gray")]
    [InlineData("?Env=gray", "base")]
    public void Match_IgnoreCase_AppliesToValuesOnly(string query, string expected)
    {
        var snapshot = RuleHarness.Snapshot(Match("q", "gray", new JsonObject { ["Query"] = new JsonArray(Condition("env", "Exact", ["gray"], ignoreCase: true)) }));

        var tag = snapshot.TagFor(Requests.Create(query: query));

        tag.Should().Be(expected);
    }

    [Theory]
    [InlineData("?q=a+b", "a b")]
    [InlineData("?q=a%2Bb", "a+b")]
    [InlineData("?q=%E4%B8%AD", "\u4e2d")]
    [InlineData("?x=1&q=first&q=second", "second")]
    [InlineData("?q", "")]
    public void Match_DecodesValuesAsAspNetCoreDoes(string query, string value)
    {
        var snapshot = RuleHarness.Snapshot(Match("q", "gray", new JsonObject { ["Query"] = new JsonArray(Condition("q", "Exact", [System.Text.RegularExpressions.Regex.Unescape(value)])) }));

        var tag = snapshot.TagFor(Requests.Create(query: query));

        tag.Should().Be("gray");
    }

    [Fact]
    public void StickyKey_QueryName_IsCaseSensitive()
    {
        // A request whose only parameter differs in case has no key: a random draw (scripted to land outside the lane).
        var snapshot = RuleHarness.Snapshot(Percentage("q", "gray", 50, "query:uid"));
        var keyed = Enumerable.Range(0, 200).First(i => snapshot.TagFor(Requests.Create(query: "?uid=u" + i)) == "gray");

        var exact = snapshot.TagFor(Requests.Create(query: "?uid=u" + keyed), new ScriptedRandom(999_999));
        var otherCase = snapshot.TagFor(Requests.Create(query: "?UID=u" + keyed), new ScriptedRandom(999_999));

        (exact, otherCase).Should().Be(("gray", "base"));
    }
}
