using Gateway.Tests.Support;
using static Gateway.Tests.Support.LaneSpec;
using static Gateway.Tests.Support.RuleForms;

namespace Gateway.Tests.Routing;

public class MethodRuleTests
{
    [Theory]
    [InlineData("POST", "gray")]
    [InlineData("PUT", "gray")]
    [InlineData("post", "gray")]
    [InlineData("GET", "base")]
    [InlineData("DELETE", "base")]
    public void Match_Methods_AnyOfThem(string method, string expected)
    {
        var snapshot = RuleHarness.Snapshot(Match("writes", "gray", Methods("POST", "PUT")));
        var context = Requests.Create();
        context.Request.Method = method;

        var tag = snapshot.TagFor(context);

        tag.Should().Be(expected);
    }

    [Fact]
    public void Match_MethodAndPath_AreAnded()
    {
        var match = Methods("POST");
        match["Path"] = Path("Exact", "/orders/1")["Path"]!.DeepClone();
        var snapshot = RuleHarness.Snapshot(Match("checkout", "gray", match));
        var post = Requests.Create();
        post.Request.Method = "POST";
        var get = Requests.Create();

        (snapshot.TagFor(post), snapshot.TagFor(get)).Should().Be(("gray", "base"));
    }
}
