using System.Text.Json.Nodes;
using Gateway.Routing.Rules;
using Gateway.Tests.Support;
using static Gateway.Tests.Support.LaneSpec;

namespace Gateway.Tests.Routing;

public class CookieRuleTests
{
    private static JsonObject Cookie(string name, string mode, params string[] values) => new() { ["Cookies"] = new JsonArray(Condition(name, mode, values)) };

    [Theory]
    [InlineData("lang=zh; canary=on; uid=42", "gray")]
    [InlineData("canary=on", "gray")]
    [InlineData("canary=\"on\"", "gray")]
    [InlineData("canary=off", "base")]
    [InlineData("xcanary=on", "base")]
    [InlineData("Canary=on", "base")]
    [InlineData("", "base")]
    public void Match_Exact_ReadsTheNamedCookie(string cookieHeader, string expected)
    {
        var snapshot = RuleHarness.Snapshot(Match("beta", "gray", Cookie("canary", "Exact", "on")));

        var tag = snapshot.TagFor(Requests.WithHeaders(("Cookie", cookieHeader)));

        tag.Should().Be(expected);
    }

    [Theory]
    [InlineData("Prefix", "sess-", "session=sess-9", "gray")]
    [InlineData("Regex", "^[0-9]+$", "session=123", "gray")]
    [InlineData("Regex", "^[0-9]+$", "session=12a", "base")]
    [InlineData("Exists", null, "session=", "gray")]
    [InlineData("Exists", null, "other=1", "base")]
    public void Match_OtherModes(string mode, string? value, string cookieHeader, string expected)
    {
        var snapshot = RuleHarness.Snapshot(Match("beta", "gray", Cookie("session", mode, value is null ? [] : [value])));

        var tag = snapshot.TagFor(Requests.WithHeaders(("Cookie", cookieHeader)));

        tag.Should().Be(expected);
    }

    [Fact]
    public void TryFind_SeveralCookieHeaders_FindsInAny()
    {
        var headers = new Microsoft.Extensions.Primitives.StringValues(["a=1", "b=2;  c = 3 "]);

        CookieReader.TryFind(headers, "c", out var value).Should().BeTrue();

        value.ToString().Should().Be("3");
    }
}
