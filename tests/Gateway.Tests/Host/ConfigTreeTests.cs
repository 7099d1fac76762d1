using System.Text;
using Gateway.Host.Config;
using Gateway.Routing.Config;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.Host;

/// <summary>
/// The gateway reads its config through its own <see cref="ConfigTree"/> instead of the configuration system's JSON
/// provider (which is quadratic to walk). Everything the configuration system would see, it must see the same way.
/// </summary>
public class ConfigTreeTests
{
    private const string Awkward = """
        {
          // comments and trailing commas, as AddJsonFile allows
          "ReverseProxy": {
            "Routes": { "r10": { "ClusterId": "c", "Order": 5, "Match": { "Path": "/a", "Hosts": [ "a.example", "b.example", ] } },
                        "r9": { "ClusterId": "c", "Match": { "Path": "/b" }, "Metadata": {} }, "R1": { "ClusterId": "c" } },
            "Clusters": { "c": { "Destinations": { "d": { "Address": "http://127.0.0.1:1/", "Metadata": { "lane": "gray" } } } } },
          },
          "Lanes": { "Groups": { "g": { "Routes": [ "r9" ], "Lanes": [ { "Name": "x", "Tag": "gray", "Percentage": 12.5, "Fallback": null },
                                                                         { "Name": "y", "Tag": "blue", "Match": { "Headers": [] } } ] } } },
          "List": [ 10, 9, [ true, false ], { "b": 1, "A": 2, "10": 3, "9": 4 }, "" ],
          "Logging:LogLevel:Default": "Debug",
        }
        """;

    public static TheoryData<string> Configs()
    {
        var data = new TheoryData<string> { Awkward };
        foreach (var file in Directory.GetFiles(Path.Combine(Support.RepositoryRoot.Path, "examples"), "*.json").Order())
        {
            data.Add(File.ReadAllText(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void Walk_SameKeysValuesAndOrderAsTheJsonProvider(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var framework = new ConfigurationBuilder().AddJsonStream(new MemoryStream(bytes)).Build();
        var tree = Parse(json);

        // Ours cannot model a key with ':' in one JSON name below the routing sections; the host settings keep it (Pairs).
        static bool Routing(string line) => !line.StartsWith("Logging", StringComparison.Ordinal);
        Walk(tree).Where(Routing).Should().Equal(Walk(framework).Where(Routing));
        tree.Pairs("ReverseProxy", "Lanes").Should().BeEquivalentTo(framework.AsEnumerable()
            .Where(p => !p.Key.StartsWith("ReverseProxy", StringComparison.Ordinal) && !p.Key.StartsWith("Lanes", StringComparison.Ordinal))
            .Where(p => p.Value is not null || !framework.GetSection(p.Key).GetChildren().Any()));
    }

    [Fact]
    public void Lookup_IsCaseInsensitiveAndFollowsPaths()
    {
        var tree = Parse(Awkward);

        tree["reverseproxy:ROUTES:r10:match:hosts:1"].Should().Be("b.example");
        tree.GetSection("ReverseProxy:Routes").GetSection("r1")["ClusterId"].Should().Be("c");
        tree["List:2:0"].Should().Be("True", "booleans read as the JSON provider writes them");
        tree["Lanes:Groups:g:Lanes:0:Fallback"].Should().BeNull("null has no value");
        tree["ReverseProxy:Routes:r9:Metadata"].Should().BeNull("an empty object has no value");
        tree["Lanes:Groups:g:Lanes:1:Match:Headers"].Should().Be("", "an empty array reads as an empty string");
    }

    [Fact]
    public void GetSection_MissingKey_EmptySectionWithItsPath()
    {
        var missing = Parse(Awkward).GetSection("ReverseProxy:Routes:nope:Match");

        (missing.Key, missing.Path, missing.Value).Should().Be(("Match", "ReverseProxy:Routes:nope:Match", null));
        missing.GetChildren().Should().BeEmpty();
        missing.GetSection("Path").Path.Should().Be("ReverseProxy:Routes:nope:Match:Path");
    }

    /// <summary>Large objects stream their children; they must still come in the configuration system's order.</summary>
    [Fact]
    public void GetChildren_LargeObject_OrderedLikeTheConfigurationSystem()
    {
        var routes = string.Join(",", Enumerable.Range(0, 40).Select(i => "\"" + (i % 3 == 0 ? "R" : "r") + i + "\": {}"));
        var json = "{ \"ReverseProxy\": { \"Routes\": { " + routes + ", \"7\": {}, \"12\": {} } } }";
        var framework = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

        Parse(json).GetSection("ReverseProxy:Routes").GetChildren().Select(c => c.Key)
            .Should().Equal(framework.GetSection("ReverseProxy:Routes").GetChildren().Select(c => c.Key));
    }

    [Theory]
    [InlineData("""{ "Lanes": { "Groups": { "g": { "Routes": [] }, "G": { "Routes": [] } } } }""", "key 'Lanes:Groups:G' appears twice (keys are case-insensitive)")]
    [InlineData("""{ "ReverseProxy": { "Routes": { "r": { "ClusterId": "a", "ClusterId": "b" } } } }""", "key 'ReverseProxy:Routes:r:ClusterId' appears twice (keys are case-insensitive)")]
    [InlineData("""{ "Lanes": { "Groups": { "g": { "Lanes": [ { "Name": "a" }, { "Name": "b", "name": "c" } ] } } } }""", "key 'Lanes:Groups:g:Lanes:1:name' appears twice (keys are case-insensitive)")]
    [InlineData("""{ "ReverseProxy": { "Routes": { "a:b": { "ClusterId": "c" } } } }""", "key 'ReverseProxy:Routes:a:b' contains ':'; write nested objects instead")]
    [InlineData("""[ 1, 2 ]""", "the top-level JSON element must be an object, found Array")]
    public void Parse_WhatTheConfigurationSystemWouldReadDifferently_IsOneProblemWithThePath(string json, string expected)
    {
        var problems = new List<ConfigProblem>();

        GatewayConfigLoader.Parse(Encoding.UTF8.GetBytes(json), "gateway.json", problems).Should().BeNull();

        problems.Select(p => p.ToString()).Should().Equal("gateway.json: " + expected);
    }

    /// <summary>Objects past 16 keys are checked with a set rather than pairwise.</summary>
    [Fact]
    public void Parse_DuplicateInLargeObject_IsFound()
    {
        var routes = string.Join(",", Enumerable.Range(0, 30).Select(i => "\"r" + i + "\": {}")) + ", \"R29\": {}";
        var problems = new List<ConfigProblem>();

        GatewayConfigLoader.Parse(Encoding.UTF8.GetBytes("{ \"ReverseProxy\": { \"Routes\": { " + routes + " } } }"), "f", problems);

        problems.Select(p => p.Message).Should().Equal("key 'ReverseProxy:Routes:R29' appears twice (keys are case-insensitive)");
    }

    [Fact]
    public void Revision_HashOfTheBytes()
    {
        Parse(Awkward).Revision.Should().Be(Parse(Awkward).Revision).And.MatchRegex("^[0-9a-f]{12}$");
        Parse(Awkward + " ").Revision.Should().NotBe(Parse(Awkward).Revision);
    }

    [Fact]
    public void SameSection_ComparesTheSectionsText()
    {
        var before = Parse("""{ "ReverseProxy": { "Routes": {} }, "Lanes": { "Groups": { "g": {} } } }""");

        before.SameSection(Parse("""{ "ReverseProxy": { "Routes": {} }, "Lanes": { "Groups": {} } }"""), "ReverseProxy").Should().BeTrue();
        before.SameSection(Parse("""{ "ReverseProxy": { "Routes": { "r": {} } }, "Lanes": {} }"""), "ReverseProxy").Should().BeFalse();
        before.SameSection(Parse("""{ "Lanes": { "Groups": { "g": {} } } }"""), "ReverseProxy").Should().BeFalse();
        Parse("{}").SameSection(Parse("""{ "Lanes": {} }"""), "ReverseProxy").Should().BeTrue("missing from both");
    }

    /// <summary>Readers report at sections, so a section must say where it is the way problems are shown, absent or not.</summary>
    [Fact]
    public void ProblemPath_ArrayItemsInBrackets_AbsentKeysToo()
    {
        var match = Parse(Awkward).GetSection("Lanes:Groups:g:Lanes:1:Match");
        var json = (IJsonSection)match;

        json.ProblemPath.Should().Be("Lanes:Groups:g:Lanes[1]:Match");
        match.Path.Should().Be("Lanes:Groups:g:Lanes:1:Match", "the configuration path is unchanged");
        ((IJsonSection)match.GetSection("Cookies")).ProblemPath.Should().Be("Lanes:Groups:g:Lanes[1]:Match:Cookies");
        json.Child("Cookies").Should().BeNull("an absent key is no section");
        json.Child("headers")!.Key.Should().Be("Headers", "keys are case-insensitive");
        ((IJsonSection)Parse(Awkward).GetSection("List:3:A")).ProblemPath.Should().Be("List[3]:A");
    }

    /// <summary>
    /// The lane reader takes the gateway's own sections' shortcuts (absent keys, children as arrays, lazy paths); over
    /// any other configuration it must read the same options and report the same problems.
    /// </summary>
    [Theory]
    [MemberData(nameof(Configs))]
    [InlineData("""
        { "Lanes": { "TagHedaer": "x", "IncomingTag": { "Trust": "Sometimes" },
          "Groups": { "g": { "Routes": "r1", "Lanes": [ { "Name": "a", "Tag": "gray", "Percentage": "half", "Match": { "Headers": [ { "Name": "h", "Values": [ [ "nested" ] ], "Mode": "Exactly", "IgnoreCase": "maybe" } ] } },
                                                       { "Name": "b", "Tag": "blue", "Fallbak": "Reject", "Match": { "Cookies": { "name": "c" } } } ] } } } }
        """)]
    public void LanesReader_SameOptionsAndProblemsOverTheConfigurationSystem(string json)
    {
        var framework = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
        var ourProblems = new List<ConfigProblem>();
        var theirProblems = new List<ConfigProblem>();

        var ours = LanesOptionsReader.Read(Parse(json).GetSection(LanesOptions.SectionName), ourProblems);
        var theirs = LanesOptionsReader.Read(framework.GetSection(LanesOptions.SectionName), theirProblems);

        ours.Should().BeEquivalentTo(theirs, o => o.WithStrictOrdering());

        // Only ours can tell an array item from a numeric key, so only ours shows it as [i].
        static string Plain(ConfigProblem problem) => System.Text.RegularExpressions.Regex.Replace(problem.ToString(), @"\[(\d+)\]", ":$1");
        ourProblems.Select(Plain).Should().Equal(theirProblems.Select(p => p.ToString()));
        if (json.Contains("Fallbak", StringComparison.Ordinal))
        {
            ourProblems.Select(p => p.ToString()).Should().Contain(p => p.StartsWith("Lanes:Groups:g:Lanes[1]:Fallbak: unknown setting", StringComparison.Ordinal))
                .And.HaveCountGreaterThan(6, "every problem of the config is reported");
        }
    }

    /// <summary>The config the reload warm-up compiles at start must stay valid as the config format evolves.</summary>
    [Fact]
    public void ReloadWarmupConfig_CompilesWithoutProblems()
    {
        var problems = new List<ConfigProblem>();

        var snapshot = GatewayConfigLoader.Compile(Parse(Gateway.Host.Reload.ReloadWarmup.Config()), AppContext.BaseDirectory, problems);

        problems.Should().BeEmpty();
        snapshot!.Rules.ByRoute.Should().HaveCount(Gateway.Host.Reload.ReloadWarmup.Groups);
    }

    private static ConfigTree Parse(string json)
    {
        var problems = new List<ConfigProblem>();
        var tree = GatewayConfigLoader.Parse(Encoding.UTF8.GetBytes(json), "test", problems);
        problems.Should().BeEmpty();
        return tree!;
    }

    /// <summary>Every section reachable through the IConfiguration API: its path, value and its children's keys in order.</summary>
    private static List<string> Walk(IConfiguration configuration)
    {
        var lines = new List<string>();
        void Visit(IConfigurationSection section)
        {
            var children = section.GetChildren().ToList();
            lines.Add(section.Path + " = " + (section.Value ?? "<null>") + " [" + string.Join(",", children.Select(c => c.Key)) + "]");
            children.ForEach(Visit);
        }

        foreach (var child in configuration.GetChildren())
        {
            Visit(child);
        }

        return lines;
    }
}
