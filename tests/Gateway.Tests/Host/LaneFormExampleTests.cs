using Gateway.Host.Config;
using Gateway.Routing.Config;
using Gateway.Routing.Tagging;
using Gateway.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Host;

/// <summary>The worked examples of the negated, path, method, pin and issued-cookie forms route as the README says.</summary>
public class LaneFormExampleTests
{
    private static GatewaySnapshot Load(string example)
    {
        var problems = new List<ConfigProblem>();
        var source = GatewayConfigSource.FromFile(Path.Combine(RepositoryRoot.Path, "examples", example));
        var configuration = GatewayConfigLoader.Load(source, problems);
        return (configuration is null ? null : GatewayConfigLoader.Compile(configuration, source.BaseDirectory, problems))
            ?? throw new InvalidOperationException(string.Join("; ", problems));
    }

    private static DefaultHttpContext Request(string method, string path, params (string Name, string Value)[] headers)
    {
        var context = Requests.WithHeaders(headers);
        context.Request.Method = method;
        context.Request.Path = path;
        return context;
    }

    [Fact]
    public void NeverAndNot_NeverCookieKeepsBetaUsersOnTheBaseline()
    {
        var snapshot = Load("never-and-not.json");

        var beta = snapshot.Decide(Request("GET", "/", ("x-beta", "1")), "web", new ScriptedRandom(0));
        var never = snapshot.Decide(Request("GET", "/", ("x-beta", "1"), ("Cookie", "canary=never")), "web", new ScriptedRandom(0));
        var robot = snapshot.Decide(Request("GET", "/", ("x-robot", "1")), "web", new ScriptedRandom(0));

        (beta.Tag, never.Tag, robot.Tag).Should().Be(("gray", (string?)null, (string?)null));
    }

    [Fact]
    public void CheckoutPathMethod_OnlyPostsUnderCheckoutAreInTheCanary()
    {
        var snapshot = Load("checkout-path-method.json");
        var user = Enumerable.Range(0, 100).Select(LaneAssignments.User)
            .First(u => snapshot.Decide(Request("POST", "/api/orders/checkout", ("x-user-id", u)), "orders", new ScriptedRandom(0)).Tag == "gray");

        var tags = new[]
        {
            snapshot.Decide(Request("POST", "/api/orders/checkout/confirm", ("x-user-id", user)), "orders", new ScriptedRandom(0)).Tag,
            snapshot.Decide(Request("GET", "/api/orders/checkout", ("x-user-id", user)), "orders", new ScriptedRandom(0)).Tag,
            snapshot.Decide(Request("POST", "/api/orders/checkoutx", ("x-user-id", user)), "orders", new ScriptedRandom(0)).Tag,
            snapshot.Decide(Request("GET", "/api/orders/1", ("x-user-id", "1001")), "orders", new ScriptedRandom(0)).Tag,
        };

        tags.Should().Equal("gray", null, null, "gray");
    }

    [Fact]
    public void BaselinePin_StableTestersStayOnTheBaseline()
    {
        var snapshot = Load("baseline-pin.json");

        var decisions = Enumerable.Range(0, 1_000)
            .Select(i => snapshot.Decide(Request("GET", "/api/orders/1", ("x-tester", "stable"), ("x-user-id", LaneAssignments.User(i))), "orders", new ScriptedRandom(0)))
            .ToList();

        decisions.Should().OnlyContain(d => d.Tag == null && d.LaneName == "stable-testers" && d.Reason == LaneReason.Pinned);
    }

    [Fact]
    public void AnonymousVisitors_CookielessVisitorGetsANinetyDayCookie()
    {
        var snapshot = Load("anonymous-visitors.json");

        snapshot.Decide(Request("GET", "/"), "web", new ScriptedRandom(0), new ScriptedCookieIds(7), out var setCookie);

        setCookie.Should().Be("gw_visitor=" + ScriptedCookieIds.IdOf(7) + "; Path=/; Max-Age=7776000; HttpOnly; SameSite=Lax");
    }
}
