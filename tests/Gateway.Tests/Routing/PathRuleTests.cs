using Gateway.Tests.Support;
using Microsoft.AspNetCore.Http;
using static Gateway.Tests.Support.LaneSpec;
using static Gateway.Tests.Support.RuleForms;

namespace Gateway.Tests.Routing;

public class PathRuleTests
{
    private static string TagFor(string mode, string[] values, string path)
    {
        var snapshot = RuleHarness.Snapshot(Match("checkout", "gray", Path(mode, values)));
        var context = Requests.Create();
        context.Request.Path = new PathString(path);
        return snapshot.TagFor(context);
    }

    [Theory]
    [InlineData("/api", "gray")]
    [InlineData("/api/", "gray")]
    [InlineData("/api/x", "gray")]
    [InlineData("/api/x/y", "gray")]
    [InlineData("/apix", "base")]
    [InlineData("/Api/x", "base")]
    [InlineData("/", "base")]
    public void Match_Prefix_OnSegmentBoundaries(string path, string expected)
    {
        TagFor("Prefix", ["/api"], path).Should().Be(expected);
    }

    [Theory]
    [InlineData("/api/", "/api", "gray")]
    [InlineData("/api/", "/api/x", "gray")]
    [InlineData("/api/", "/apix", "base")]
    [InlineData("/", "/anything", "gray")]
    [InlineData("/", "/", "gray")]
    public void Match_PrefixWithTrailingSlash_IgnoresIt(string prefix, string path, string expected)
    {
        TagFor("Prefix", [prefix], path).Should().Be(expected);
    }

    [Theory]
    [InlineData("/api/orders/checkout", "gray")]
    [InlineData("/api/orders/checkout/", "base")]
    [InlineData("/api/orders/Checkout", "base")]
    [InlineData("/api/orders", "base")]
    public void Match_Exact_IsCaseSensitiveAndWhole(string path, string expected)
    {
        TagFor("Exact", ["/api/orders/checkout"], path).Should().Be(expected);
    }

    [Theory]
    [InlineData("/api/orders/12/pay", "gray")]
    [InlineData("/api/orders/ab/pay", "base")]
    public void Match_Regex_OnTheDecodedPath(string path, string expected)
    {
        TagFor("Regex", ["^/api/orders/[0-9]+/pay$"], path).Should().Be(expected);
    }

    [Fact]
    public void Match_DecodedPath_SeesDecodedCharacters()
    {
        // Kestrel hands the path over decoded (%20 is a space); the rule sees what routing sees.
        TagFor("Exact", ["/api/a b"], "/api/a b").Should().Be("gray");
    }

    [Fact]
    public void Match_SeveralValues_AreAlternatives()
    {
        TagFor("Prefix", ["/a", "/b"], "/b/1").Should().Be("gray");
    }
}
