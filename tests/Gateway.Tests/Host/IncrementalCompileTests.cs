using System.Text;
using Gateway.Host.Config;
using Gateway.Routing.Config;
using Gateway.Routing.Tagging;
using Gateway.Tests.Support;
using static Gateway.Tests.Support.LaneSpec;

namespace Gateway.Tests.Host;

/// <summary>
/// A reload reuses the lane groups whose JSON did not change (read and compiled once), and the route checks when
/// <c>ReverseProxy</c> did not change; everything that did change is read, checked and compiled anew.
/// </summary>
public class IncrementalCompileTests
{
    private static GatewayConfigBuilder Config(string g2User = "1002")
    {
        var config = new GatewayConfigBuilder().Route("r1").Route("r2").Route("r3");
        return config
            .Group("g1", ["r1"], Match("testers", "gray", Header("x-user-id", "Exact", "1001")))
            .Group("g2", ["r2"], Match("testers", "gray", Header("x-user-id", "Exact", g2User)))
            .Group("g3", ["r3"], Match("testers", "gray", Header("x-user-id", "Exact", "1003")), Percentage("canary", "gray", 10));
    }

    [Fact]
    public void Reload_OneGroupEdited_OthersReusedAndTheEditLive()
    {
        var first = Compile(Config(), previous: null);

        var second = Compile(Config(g2User: "2002"), first);

        second.ReusedGroups.Should().Be(2);
        Group(second, "r1").Should().BeSameAs(Group(first, "r1"));
        Group(second, "r3").Should().BeSameAs(Group(first, "r3"));
        Group(second, "r2").Should().NotBeSameAs(Group(first, "r2"));
        TagOn(second, "r2", "2002").Should().Be("gray");
        TagOn(second, "r2", "1002").Should().Be("base");
        TagOn(second, "r1", "1001").Should().Be("gray");
    }

    [Fact]
    public void Reload_CitySourceAppears_EveryGroupCompiledAgain()
    {
        var first = Compile(Config(), previous: null);

        var second = Compile(Config().Set("Lanes:ClientIp:TrustedProxies", new System.Text.Json.Nodes.JsonArray("10.0.0.0/8")), first);

        second.ReusedGroups.Should().Be(0, "groups compiled without a city source may not be reused with one");
        Group(second, "r1").Should().NotBeSameAs(Group(first, "r1"));
    }

    [Fact]
    public void Reload_GroupRenamed_NotReused()
    {
        var first = Compile(Config(), previous: null);
        var renamed = new GatewayConfigBuilder().Route("r1").Route("r2").Route("r3")
            .Group("G1", ["r1"], Match("testers", "gray", Header("x-user-id", "Exact", "1001")));

        var second = Compile(renamed, first);

        second.ReusedGroups.Should().Be(0);
        second.Snapshot.Rules.ByRoute["r1"].Name.Should().Be("G1");
    }

    [Fact]
    public void Reload_UnchangedRoutes_StillCheckedAgainstTheLanes()
    {
        var first = Compile(Config(), previous: null);
        var problems = new List<ConfigProblem>();

        var broken = GatewayConfigLoader.Compile(Tree(Config().Group("g4", ["nope"], Percentage("c", "blue", 5))), ".", problems, first);

        broken.Should().BeNull();
        problems.Select(p => p.Message).Should().ContainSingle().Which.Should().StartWith("unknown route 'nope'");
        Compile(Config(g2User: "2002"), first).ReusedGroups.Should().Be(2, "a failed reload leaves the serving config's cache as it was");
    }

    private static CompiledConfig Compile(GatewayConfigBuilder config, CompiledConfig? previous)
    {
        var problems = new List<ConfigProblem>();
        var compiled = GatewayConfigLoader.Compile(Tree(config), ".", problems, previous);
        problems.Should().BeEmpty();
        return compiled!;
    }

    private static ConfigDocument Tree(GatewayConfigBuilder config) => ConfigDocument.Parse(Encoding.UTF8.GetBytes(config.ToJson()), "test", [])!;

    private static Gateway.Routing.Rules.RuleGroup Group(CompiledConfig config, string route) => config.Snapshot.Rules.ByRoute[route];

    private static string TagOn(CompiledConfig config, string route, string user)
    {
        var decision = config.Snapshot.Decide(Requests.WithHeaders(("x-user-id", user)), route, new Random(1));
        return decision.Tag ?? "base";
    }
}
