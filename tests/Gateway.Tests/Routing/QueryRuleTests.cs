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
}
