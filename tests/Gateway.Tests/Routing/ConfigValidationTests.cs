using System.Text.Json.Nodes;
using Gateway.Routing.Config;
using Gateway.Tests.Support;
using static Gateway.Tests.Support.LaneSpec;

namespace Gateway.Tests.Routing;

public class ConfigValidationTests
{
    private static List<string> Problems(GatewayConfigBuilder config) => [.. config.Problems().Select(p => p.ToString())];

    private static List<string> Problems(params JsonObject[] lanes) => Problems(RuleHarness.Config(lanes));

    [Fact]
    public void Validate_ValidConfig_HasNoProblems()
    {
        Problems(Match("vip", "gray", Header("x-user-id", "Exact", "1")), Percentage("canary", "gray", 30)).Should().BeEmpty();
    }

    /// <summary>The JSON reader lets null through as a list item or a map value; the compiler and YARP would throw on one.</summary>
    [Fact]
    public void Validate_NullListItemsAndMapValues_AreProblemsNotCrashes()
    {
        var config = RuleHarness.Config()
            .Set("Lanes:Groups:trade:Lanes", new JsonArray(Match("vip", "gray", Header("x-user-id", "Exact", "1", null!)), null))
            .Set("Lanes:Groups:trade:Routes", new JsonArray("orders", null))
            .Set("Lanes:IncomingTag:TrustedNetworks", new JsonArray((JsonNode?)null))
            .Set("ReverseProxy:Routes:orders:Match:Methods", new JsonArray("GET", null))
            .Set("ReverseProxy:Clusters:orders:Destinations:gone", null);

        Problems(config).Should().BeEquivalentTo(
            "Lanes:IncomingTag:TrustedNetworks[0]: must not be null",
            "Lanes:Groups:trade:Routes[1]: must not be null",
            "Lanes:Groups:trade:Lanes[0]:Match:Headers[0]:Values[1]: must not be null",
            "Lanes:Groups:trade:Lanes[1]: must not be null",
            "ReverseProxy:Routes:orders:Match:Methods[1]: must not be null",
            "ReverseProxy:Clusters:orders:Destinations:gone: must not be null");
    }

    [Fact]
    public void Validate_PercentageOutOfRange_NamesLaneAndValue()
    {
        Problems(Percentage("a", "gray", 10), Percentage("b", "blue", 20), Percentage("beta-hz", "blue", 120))
            .Should().Contain("Lanes:Groups:trade:Lanes[2]:Percentage: percentage 120 is outside 0-100");
    }

    [Fact]
    public void Validate_PercentagesOverHundredForSameRequests_IsAnError()
    {
        Problems(Percentage("canary-a", "gray", 60), Percentage("canary-b", "blue", 50))
            .Should().Equal("Lanes:Groups:trade:Lanes[1]:Percentage: lanes 'canary-a', 'canary-b' take 110% of the same requests, more than 100");
    }

    [Fact]
    public void Validate_PercentagesOverHundredForDifferentRequests_IsFine()
    {
        Problems(
                Percentage("cn", "gray", 60, match: Header("x-region", "Exact", "cn")),
                Percentage("us", "blue", 50, match: Header("x-region", "Exact", "us")))
            .Should().BeEmpty();
    }

    [Fact]
    public void Validate_NarrowerLaneAfterBroaderOne_AddsUp()
    {
        // Every request the second lane sees has passed the first lane's (empty) conditions too.
        Problems(Percentage("all", "gray", 70), Percentage("cn", "blue", 40, match: Header("x-region", "Exact", "cn")))
            .Should().ContainSingle().Which.Should().Contain("take 110% of the same requests");
    }

    [Fact]
    public void Validate_UnknownRoute_ListsKnownRoutes()
    {
        var config = RuleHarness.Config().Group("other", ["ordres"], Match("vip", "gray", Header("x-user-id", "Exact", "1")));

        Problems(config).Should().Equal("Lanes:Groups:other:Routes[0]: unknown route 'ordres'; ReverseProxy:Routes has 'orders'");
    }

    [Fact]
    public void Validate_BadCidrs_AreEachReported()
    {
        var config = RuleHarness.Config(Match("office", "gray", new JsonObject { ["ClientNetworks"] = Strings("10.0.0.1/8", "10.0.0.0/33", "office") }));

        Problems(config).Should().Equal(
            "Lanes:Groups:trade:Lanes[0]:Match:ClientNetworks[0]: '10.0.0.1/8' has bits set after the /8 prefix; did you mean 10.0.0.0/8?",
            "Lanes:Groups:trade:Lanes[0]:Match:ClientNetworks[1]: '10.0.0.0/33' is not an IP address or CIDR network (e.g. 10.0.0.0/8, 2001:db8::/32)",
            "Lanes:Groups:trade:Lanes[0]:Match:ClientNetworks[2]: 'office' is not an IP address or CIDR network (e.g. 10.0.0.0/8, 2001:db8::/32)");
    }

    [Fact]
    public void Validate_BadRegex_NamesTheValue()
    {
        Problems(Match("re", "gray", Header("x-user", "Regex", "ok", "(unclosed")))
            .Should().ContainSingle().Which.Should().StartWith("Lanes:Groups:trade:Lanes[0]:Match:Headers[0]:Values[1]: invalid regex '(unclosed'");
    }

    [Fact]
    public void Validate_RegexTheLinearEngineCannotRun_IsRejected()
    {
        // Backreferences need backtracking, which could stall a request; such patterns are refused at load.
        Problems(Match("re", "gray", Header("x-user", "Regex", @"^(a)\1$")))
            .Should().ContainSingle().Which.Should().StartWith("Lanes:Groups:trade:Lanes[0]:Match:Headers[0]:Values[0]: invalid regex");
    }

    [Fact]
    public void Validate_DuplicateLaneNames_AreReported()
    {
        Problems(Match("vip", "gray", Header("a", "Exists")), Match("VIP", "blue", Header("b", "Exists")))
            .Should().Equal("Lanes:Groups:trade:Lanes[1]:Name: duplicate lane name 'VIP' in group 'trade'");
    }

    [Theory]
    [InlineData("headr:x-user-id")]
    [InlineData("header:")]
    [InlineData("user")]
    public void Validate_UnknownStickyKeyForm_IsReported(string stickyKey)
    {
        Problems(Percentage("canary", "gray", 30, stickyKey))
            .Should().Equal("Lanes:Groups:trade:Lanes[0]:StickyKey: '" + stickyKey + "' is not a sticky key; use header:NAME, cookie:NAME, query:NAME or clientIp");
    }

    [Fact]
    public void Validate_MisspeltSettingAndBadEnum_AreReported()
    {
        var lane = Match("vip", "gray", Header("x-user-id", "Exactly", "1"));
        lane["Fallbak"] = "Reject";

        Problems(lane).Should().Equal(
            "Lanes:Groups:trade:Lanes[0]:Match:Headers[0]:Mode: 'Exactly' is not one of Exact, Prefix, Regex, Exists",
            "Lanes:Groups:trade:Lanes[0]:Fallbak: unknown setting; did you mean 'Fallback'?");
    }

    /// <summary>Each route, cluster and lane is read on its own: every broken one is reported, not the first.</summary>
    [Fact]
    public void Validate_SeveralBrokenRoutesClustersAndLanes_EachReported()
    {
        var bad = Match("b", "gray", Header("x", "Exists"));
        bad["Fallback"] = "Never";
        var config = RuleHarness.Config(Percentage("a", "gray", 10), bad, Match("c", "blue", Header("y", "Sometimes")))
            .Route("r2").Route("r3")
            .Set("ReverseProxy:Routes:r2:Order", "first").Set("ReverseProxy:Routes:r3:Match:Methds", Strings("GET"))
            .Set("ReverseProxy:Clusters:r2:LoadBalancingPolicy", 5).Set("ReverseProxy:Clusters:r3:HttpRequest", new JsonObject { ["Version"] = "two" });

        Problems(config).Should().BeEquivalentTo(
            "ReverseProxy:Clusters:r2:LoadBalancingPolicy: '5' is not a text value",
            "ReverseProxy:Clusters:r3:HttpRequest:Version: 'two' is not a version such as 1.1 or 2",
            "ReverseProxy:Routes:r2:Order: 'first' is not a whole number",
            "ReverseProxy:Routes:r3:Match:Methds: unknown setting; did you mean 'Methods'?",
            "Lanes:Groups:trade:Lanes[1]:Fallback: 'Never' is not one of Baseline, Reject",
            "Lanes:Groups:trade:Lanes[2]:Match:Headers[0]:Mode: 'Sometimes' is not one of Exact, Prefix, Regex, Exists");
    }

    [Fact]
    public void Validate_ManyProblems_AreAllReportedAtOnce()
    {
        var config = RuleHarness.Config(
                Percentage("a", "gray", 150),
                Match("b", "Base", Header("x", "Exists")),
                Match("c", "gray", Header("x", "Exists", "value")),
                new JsonObject { ["Name"] = "d", ["Tag"] = "bad tag" },
                Percentage("e", "gray", 10, "nope"))
            .Set("Lanes:IncomingTag:Trust", "Sometimes")
            .Set("Lanes:ClientIp:TrustedProxies", Strings("proxy"));

        Problems(config).Should().BeEquivalentTo(
            "Lanes:IncomingTag:Trust: 'Sometimes' is not one of None, All, Networks",
            "Lanes:ClientIp:TrustedProxies[0]: 'proxy' is not an IP address or CIDR network (e.g. 10.0.0.0/8, 2001:db8::/32)",
            "Lanes:Groups:trade:Lanes[0]:Percentage: percentage 150 is outside 0-100",
            "Lanes:Groups:trade:Lanes[1]:Tag: 'Base' is reserved for the baseline; did you mean 'base' (pins the lane's requests to the baseline)?",
            "Lanes:Groups:trade:Lanes[2]:Match:Headers[0]:Values: Mode Exists takes no Values",
            "Lanes:Groups:trade:Lanes[3]:Tag: 'bad tag' is not a lane tag (1-64 characters of A-Z a-z 0-9 . _ -)",
            "Lanes:Groups:trade:Lanes[3]: lane 'd' has no Match and no Percentage, so it would take every request; use Percentage: 100 to mean that",
            "Lanes:Groups:trade:Lanes[4]:StickyKey: 'nope' is not a sticky key; use header:NAME, cookie:NAME, query:NAME or clientIp");
    }

    [Theory]
    [InlineData("Lanes:IncomingTag:Trust", "Everyone")]
    [InlineData("Lanes:TagHeadr", "x-lane")]
    [InlineData("ReverseProxy:Routes:orders:ClusterId", "nope")]
    public void Compile_OnlyProblemFoundWhileReading_RejectsTheConfig(string path, string value)
    {
        var config = RuleHarness.Config(Match("vip", "gray", Header("x-user-id", "Exact", "1"))).Set(path, value);

        var act = () => config.BuildSnapshot();

        act.Should().Throw<InvalidOperationException>().WithMessage("invalid test config: *");
    }

    [Fact]
    public void Validate_SameTagDifferentFallback_IsReported()
    {
        Problems(Match("a", "blue", Header("x", "Exists")), Match("b", "blue", Header("y", "Exists"), fallback: "Reject"))
            .Should().Equal("Lanes:Groups:trade:Lanes[1]:Fallback: tag 'blue' has Fallback Baseline at Lanes:Groups:trade:Lanes[0]; every lane stamping one tag needs the same Fallback");
    }

    [Fact]
    public void Validate_RouteInTwoGroupsAndTwoDefaultGroups_AreReported()
    {
        var lane = Match("a", "gray", Header("x", "Exists"));
        var config = RuleHarness.Config(lane).Group("again", ["orders"], lane).Group("all-1", [], lane).Group("all-2", [], lane);

        Problems(config).Should().BeEquivalentTo(
            "Lanes:Groups:again:Routes[0]: route 'orders' is already in group 'trade'",
            "Lanes:Groups:all-2:Routes: only one group may leave Routes empty (apply to every route); 'all-1' already does");
    }

    [Fact]
    public void Validate_CityRuleWithoutCitySource_IsReported()
    {
        Problems(Match("south", "gray", new JsonObject { ["Cities"] = Strings("guangdong") }))
            .Should().Equal("Lanes:Groups:trade:Lanes[0]:Match:Cities: a city rule needs Lanes:ClientIp:CityDatabase, or a CityHeader with TrustedProxies");
    }

    [Fact]
    public void Validate_MissingCityDatabase_IsReported()
    {
        var config = RuleHarness.Config().Set("Lanes:ClientIp:CityDatabase", "/nonexistent/cities.csv");

        Problems(config).Should().ContainSingle().Which.Should().StartWith("Lanes:ClientIp:CityDatabase: cannot read '/nonexistent/cities.csv'");
    }

    /// <summary>
    /// The destination metadata the gateway reads has values it must understand: <c>"draining": "yes"</c> was read as
    /// not draining, and <c>"warmupSeconds": "1m"</c> as no warm-up, without a word, as <c>Infinity</c> starved it.
    /// </summary>
    [Fact]
    public void Validate_DrainingAndWarmupMetadata_ValuesTheGatewayCannotRead()
    {
        var config = RuleHarness.Config()
            .Set("ReverseProxy:Clusters:orders:Destinations:a", new JsonObject { ["Address"] = "http://a/", ["Metadata"] = new JsonObject { ["draining"] = "yes", ["warmupSeconds"] = "1m" } })
            .Set("ReverseProxy:Clusters:orders:Destinations:b", new JsonObject { ["Address"] = "http://b/", ["Metadata"] = new JsonObject { ["Draining"] = " TRUE ", ["warmupSeconds"] = "Infinity" } })
            .Set("ReverseProxy:Clusters:orders:Destinations:c", new JsonObject { ["Address"] = "http://c/", ["Metadata"] = new JsonObject { ["draining"] = "false", ["warmupSeconds"] = "2.5" } });

        Problems(config).Should().BeEquivalentTo(
            "ReverseProxy:Clusters:orders:Destinations:a:Metadata:draining: 'yes' is not true or false",
            "ReverseProxy:Clusters:orders:Destinations:a:Metadata:warmupSeconds: '1m' is not a number of seconds (0 or more)",
            "ReverseProxy:Clusters:orders:Destinations:b:Metadata:warmupSeconds: 'Infinity' is not a number of seconds (0 or more)");
    }

    [Fact]
    public void Validate_ProxySection_RouteToUnknownClusterAndBadAddress()
    {
        var config = RuleHarness.Config().Route("users", cluster: "users").Destination("users", "u1", "not a url");
        config.Root["ReverseProxy"]!["Routes"]!["users"]!["ClusterId"] = "userz";

        Problems(config).Should().BeEquivalentTo(
            "ReverseProxy:Routes:users:ClusterId: unknown cluster 'userz'",
            "ReverseProxy:Clusters:users:Destinations:u1:Address: 'not a url' is not an absolute http or https address");
    }

    [Fact]
    public void Validate_ScalarWhereListExpected_IsReported()
    {
        var config = RuleHarness.Config().Set("Lanes:ClientIp:TrustedProxies", "10.0.0.0/8");

        Problems(config).Should().Equal("Lanes:ClientIp:TrustedProxies: expected a list, found the single value '10.0.0.0/8'");
    }

    [Fact]
    public void Validate_InvalidJson_IsOneProblem()
    {
        var problems = new List<ConfigProblem>();

        Gateway.Host.Config.GatewayConfigLoader.Load(Gateway.Host.Config.GatewayConfigSource.FromJson("{ \"Lanes\": "), problems);

        problems.Should().ContainSingle().Which.Path.Should().Be("embedded config");
    }

    /// <summary>With thousands of routes, an unknown route names the nearest few instead of listing them all.</summary>
    [Fact]
    public void UnknownRoute_ManyRoutes_NamesTheNearest()
    {
        var config = new GatewayConfigBuilder();
        for (var i = 0; i < 30; i++)
        {
            config.Route("orders-" + i);
        }

        var problems = config.Group("g", ["orders-1O"], LaneSpec.Percentage("c", "gray", 5)).Problems();

        problems.Select(p => p.ToString()).Should().Equal(
            "Lanes:Groups:g:Routes[0]: unknown route 'orders-1O'; ReverseProxy:Routes has 30 routes; the nearest are 'orders-1', 'orders-10', 'orders-11'");
    }

    /// <summary>
    /// A generated file with thousands of unknown route names: each used to be compared with every route, which kept
    /// <c>validate</c> (and a reload's thread) busy for minutes; only the first few are, the rest name the count.
    /// </summary>
    [Fact]
    public void UnknownRoutes_Thousands_OnlyTheFirstFewSearchTheRoutes()
    {
        var config = new GatewayConfigBuilder();
        for (var i = 0; i < 30; i++)
        {
            config.Route("orders-" + i);
        }

        var problems = Problems(config.Group("g", [.. Enumerable.Range(0, 20).Select(i => "orders-x" + i)], LaneSpec.Percentage("c", "gray", 5)));

        problems.Should().HaveCount(20);
        problems.Take(NearestNames.MaxSearches).Should().OnlyContain(p => p.Contains("; the nearest are 'orders-", StringComparison.Ordinal));
        problems.Skip(NearestNames.MaxSearches).Should().OnlyContain(p => p.EndsWith("; ReverseProxy:Routes has 30 routes", StringComparison.Ordinal));
    }

    /// <summary>A name too long to be a typo is not compared with the routes (the work grows with the product of the lengths).</summary>
    [Fact]
    public void UnknownRoute_VeryLong_IsNotCompared()
    {
        var config = new GatewayConfigBuilder();
        for (var i = 0; i < 30; i++)
        {
            config.Route("orders-" + i);
        }

        Problems(config.Group("g", [new string('x', 100_000)], LaneSpec.Percentage("c", "gray", 5)))
            .Should().ContainSingle().Which.Should().EndWith("; ReverseProxy:Routes has 30 routes");
    }

    /// <summary>
    /// A file with a million broken keys lists the first thousand problems and says there are more: listed, they took
    /// a gigabyte and one endless log line. The config is refused all the same.
    /// </summary>
    [Fact]
    public void Problems_PastTheLimit_AreCountedNotListed()
    {
        var admin = new JsonObject();
        for (var i = 0; i < ConfigReader.MaxListed + 500; i++)
        {
            admin["Unknown" + i] = 1;
        }

        var problems = RuleHarness.Config(Percentage("canary", "gray", 30)).Set("Admin", admin).Problems();

        problems.Should().HaveCount(ConfigReader.MaxListed + 1);
        problems[^2].ToString().Should().StartWith("Admin:Unknown999: unknown setting");
        problems[^1].ToString().Should().Be("(more): only the first 1,000 problems are listed; fix them and check again");
    }
}
