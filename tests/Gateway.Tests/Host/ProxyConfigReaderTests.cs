using System.Collections;
using System.Text;
using System.Text.Json;
using Gateway.Host.Config;
using Gateway.Routing.Config;
using Gateway.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Tests.Host;

/// <summary>
/// The gateway reads YARP's <c>ReverseProxy</c> section itself (so it can check it first and reuse unchanged routes);
/// these tests hold it to YARP's own reader, to YARP's own checks, and to its reuse promise.
/// </summary>
public class ProxyConfigReaderTests
{
    /// <summary>Sets every property YARP 2.1's route and cluster config has (the coverage test below enforces "every").</summary>
    private const string KitchenSink = """
        {
          "ReverseProxy": {
            "Routes": {
              "all": {
                "ClusterId": "all", "Order": -5, "MaxRequestBodySize": 1048576, "AuthorizationPolicy": "auth", "RateLimiterPolicy": "rate", "OutputCachePolicy": "cache",
                "TimeoutPolicy": "slow", "Timeout": "00:00:30", "CorsPolicy": "cors",
                "Metadata": { "team": "trade", "Owner": "ops" },
                "Transforms": [ { "PathPrefix": "/v2" }, { "RequestHeader": "x-env", "Set": "prod" } ],
                "Match": {
                  "Methods": [ "GET", "POST" ], "Hosts": [ "a.example", "*.b.example" ], "Path": "/all/{**rest}",
                  "Headers": [ { "Name": "x-user", "Values": [ "1", "2" ], "Mode": "HeaderPrefix", "IsCaseSensitive": true } ],
                  "QueryParameters": [ { "Name": "q", "Values": [ "x" ], "Mode": "Contains", "IsCaseSensitive": true } ]
                }
              },
              "bare": { "ClusterId": "bare", "Match": { "Path": "/bare", "Headers": [] }, "Metadata": {}, "Transforms": [] },
              "no-match": { "ClusterId": "bare" }
            },
            "Clusters": {
              "all": {
                "LoadBalancingPolicy": "RoundRobin",
                "SessionAffinity": {
                  "Enabled": false, "Policy": "Cookie", "FailurePolicy": "Return503Error", "AffinityKeyName": "k",
                  "Cookie": { "Path": "/", "Domain": "example.com", "HttpOnly": true, "SecurePolicy": "Always", "SameSite": "Strict",
                              "Expiration": "01:00:00", "MaxAge": "00:30:00", "IsEssential": true }
                },
                "HealthCheck": {
                  "Passive": { "Enabled": true, "Policy": "ServerErrors", "ReactivationPeriod": "00:01:00" },
                  "Active": { "Enabled": true, "Interval": "00:00:10", "Timeout": "00:00:05", "Policy": "ConsecutiveFailures", "Path": "/health", "Query": "?probe=1" },
                  "AvailableDestinationsPolicy": "HealthyOrPanic"
                },
                "HttpClient": {
                  "SslProtocols": [ "Tls12", "Tls13" ], "DangerousAcceptAnyServerCertificate": true, "MaxConnectionsPerServer": 10,
                  "EnableMultipleHttp2Connections": true, "RequestHeaderEncoding": "utf-8", "ResponseHeaderEncoding": "latin1",
                  "WebProxy": { "Address": "http://proxy.example:3128/", "BypassOnLocal": true, "UseDefaultCredentials": false }
                },
                "HttpRequest": { "ActivityTimeout": "00:02:00", "Version": "2", "VersionPolicy": "RequestVersionOrLower", "AllowResponseBuffering": true },
                "Metadata": { "tier": "1" },
                "Destinations": {
                  "all-gray": { "Address": "http://127.0.0.1:9002/", "Health": "http://127.0.0.1:9102/", "Host": "gray.internal", "Metadata": { "lane": "gray" } },
                  "all-base": { "Address": "http://127.0.0.1:9001/" }
                }
              },
              "bare": { "Destinations": { "b": { "Address": "https://bare.example/" } } }
            }
          }
        }
        """;

    [Fact]
    public void Read_EverySetting_SameObjectsAsYarpsOwnReader()
    {
        var problems = new List<ConfigProblem>();

        var ours = ProxyConfigReader.Read(Tree(KitchenSink).Section(ProxyConfigReader.SectionName), new ConfigReader(problems), new AcceptAll(), ProxyConfigSet.Empty);

        problems.Should().BeEmpty();
        var yarps = YarpReads(KitchenSink);
        ours.Routes.Select(r => r.RouteId).Should().BeEquivalentTo(yarps.Routes.Select(r => r.RouteId));
        foreach (var route in ours.Routes)
        {
            var theirs = yarps.Routes.Single(r => r.RouteId == route.RouteId);
            Json(route).Should().Be(Json(theirs), "route {0} reads as YARP reads it, to the last nested value", route.RouteId);
        }

        ours.Clusters.Select(c => c.ClusterId).Should().BeEquivalentTo(yarps.Clusters.Select(c => c.ClusterId));
        foreach (var cluster in ours.Clusters)
        {
            var theirs = yarps.Clusters.Single(c => c.ClusterId == cluster.ClusterId);
            Json(cluster).Should().Be(Json(theirs), "cluster {0} reads as YARP reads it, to the last nested value", cluster.ClusterId);
        }
    }

    /// <summary>The differential test above proves only what the kitchen sink sets; this proves it sets everything.</summary>
    [Fact]
    public void KitchenSink_SetsEveryPropertyOfYarpsConfig()
    {
        var yarps = YarpReads(KitchenSink);

        var unset = new List<string>();
        Unset(yarps.Routes.Single(r => r.RouteId == "all"), "route", unset);
        Unset(yarps.Clusters.Single(c => c.ClusterId == "all"), "cluster", unset);

        unset.Should().BeEmpty("a YARP setting the kitchen sink leaves out is a setting the reader is not held to");
    }

    /// <summary>YARP's own records are the schema: a setting YARP 2.3 added (an active health check's Query) validates and runs.</summary>
    [Fact]
    public async Task Run_SettingYarp23Added_ValidatesAndServes()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base");
        var config = orders.AddTo(new GatewayConfigBuilder()).Cluster("orders", new System.Text.Json.Nodes.JsonObject
        {
            ["HealthCheck"] = new System.Text.Json.Nodes.JsonObject
            {
                ["Active"] = new System.Text.Json.Nodes.JsonObject { ["Enabled"] = true, ["Interval"] = "00:00:05", ["Path"] = "/healthz", ["Query"] = "?probe=1" },
            },
        });

        config.Problems().Should().BeEmpty();
        await using var gateway = await TestGateway.StartAsync(config);
        (await gateway.Client.GetEchoAsync("/orders/1")).Instance.Should().Be("orders-base-1");
    }

    [Fact]
    public void Read_ValuesYarpCannotUse_AreProblemsWithTheirPaths()
    {
        var config = RuleHarness.Config()
            .Set("ReverseProxy:Routes:orders:Order", "first")
            .Set("ReverseProxy:Routes:orders:Timeout", "30s")
            .Set("ReverseProxy:Routes:orders:Mach", new System.Text.Json.Nodes.JsonObject { ["Path"] = "/x" })
            .Set("ReverseProxy:Clusters:orders:HttpClient", new System.Text.Json.Nodes.JsonObject { ["MaxConnectionsPerServer"] = "many", ["SslProtocols"] = Strings("Tls12", "Tls99") });

        config.Problems().Select(p => p.ToString()).Should().BeEquivalentTo(
            "ReverseProxy:Routes:orders:Order: 'first' is not a whole number",
            "ReverseProxy:Routes:orders:Timeout: '30s' is not a duration such as 00:00:30",
            "ReverseProxy:Routes:orders:Mach: unknown setting; did you mean 'Match'?",
            "ReverseProxy:Clusters:orders:HttpClient:MaxConnectionsPerServer: 'many' is not a whole number",
            "ReverseProxy:Clusters:orders:HttpClient:SslProtocols: 'Tls99' is not one of None, Ssl2, Ssl3, Tls, Default, Tls11, Tls12, Tls13");
    }

    /// <summary>The reader's path quotes names with dots or brackets (<c>$.Destinations['d.x']</c>); the problem's path is still the file's.</summary>
    [Theory]
    [InlineData("d.x", "ReverseProxy:Clusters:orders:Destinations:d.x:Metadat: unknown setting; did you mean 'Metadata'?")]
    [InlineData("d']x[", "ReverseProxy:Clusters:orders:")]
    public void Read_UnknownKeyUnderAnOddlyNamedDestination_IsOneProblemInThatCluster(string name, string expected)
    {
        var config = RuleHarness.Config().Set("ReverseProxy:Clusters:orders:Destinations", new System.Text.Json.Nodes.JsonObject
        {
            [name] = new System.Text.Json.Nodes.JsonObject { ["Address"] = "http://127.0.0.1:9001/", ["Metadat"] = new System.Text.Json.Nodes.JsonObject() },
        });

        config.Problems().Should().ContainSingle().Which.ToString().Should().StartWith(expected);
    }

    /// <summary>An entry's key is its id: the id written inside the entry too is refused, not silently overwritten.</summary>
    [Fact]
    public void Read_IdInsideItsEntry_IsAProblem()
    {
        var config = RuleHarness.Config(LaneSpec.Percentage("c", "gray", 5))
            .Set("ReverseProxy:Routes:orders:RouteId", "other")
            .Set("ReverseProxy:Clusters:orders:ClusterId", "other")
            .Set("Lanes:Groups:trade:Name", "other");

        config.Problems().Select(p => p.ToString()).Should().BeEquivalentTo(
            "ReverseProxy:Routes:orders:RouteId: unknown setting; the id of an entry is its key",
            "ReverseProxy:Clusters:orders:ClusterId: unknown setting; the id of an entry is its key",
            "Lanes:Groups:trade:Name: unknown setting; the id of an entry is its key");
    }

    /// <summary>What only YARP knows (route patterns, transforms, policies) is checked by YARP's own validator before anything is applied.</summary>
    [Fact]
    public void Read_ConfigYarpWouldRefuse_IsRejectedByYarpsOwnChecks()
    {
        var config = RuleHarness.Config()
            .Route("broken", "/broken/{", cluster: "orders")
            .Set("ReverseProxy:Routes:orders:Transforms", new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["Frobnicate"] = "x" }))
            .Set("ReverseProxy:Clusters:orders:LoadBalancingPolicy", "Fastest");

        config.Problems().Select(p => p.ToString()).Should().BeEquivalentTo(
            "ReverseProxy:Routes:broken: Invalid path '/broken/{' for route 'broken'.",
            "ReverseProxy:Routes:orders: Unknown transform: Frobnicate",
            "ReverseProxy:Clusters:orders: No matching ILoadBalancingPolicy found for the load balancing policy 'Fastest' set on the cluster 'orders'.");
    }

    [Fact]
    public void Read_AgainWithOneRouteChanged_ReusesEveryOtherObject()
    {
        var first = Compile(Routes(("r1", "/one"), ("r2", "/two"), ("r3", "/three")), previous: null);

        var second = Compile(Routes(("r1", "/one"), ("r2", "/two-v2"), ("r3", "/three")), first);

        second.Proxy.ReadAnew.Should().Be(1);
        second.Proxy.Routes.Select(r => r.Match.Path).Should().Equal("/one", "/two-v2", "/three");
        second.Proxy.Routes[0].Should().BeSameAs(first.Proxy.Routes[0]);
        second.Proxy.Routes[1].Should().NotBeSameAs(first.Proxy.Routes[1]);
        second.Proxy.Routes[2].Should().BeSameAs(first.Proxy.Routes[2]);
        second.Proxy.Clusters.Should().Equal(first.Proxy.Clusters, ReferenceEquals, "no cluster changed");
    }

    [Fact]
    public void Read_SameRoutesLaidOutDifferently_IsTheServingSetItself()
    {
        var json = Routes(("r1", "/one"), ("r2", "/two"));
        var first = Compile(json, previous: null);

        // Whitespace between routes: the section's text differs, no route's does.
        var second = Compile(json.Replace("},\"r2\"", "},\n\n  \"r2\"", StringComparison.Ordinal), first);

        ConfigJson.Raw(second.Document.Section(ProxyConfigReader.SectionName)).SequenceEqual(ConfigJson.Raw(first.Document.Section(ProxyConfigReader.SectionName)))
            .Should().BeFalse("the test needs a different section text");
        second.Proxy.Should().BeSameAs(first.Proxy, "nothing for YARP to do");
    }

    [Fact]
    public void Read_ClusterRemovedUnderAnUnchangedRoute_IsAProblem()
    {
        var first = Compile(Routes(("r1", "/one"), ("r2", "/two")), previous: null);
        var withoutCluster = JsonSerializer.Deserialize<System.Text.Json.Nodes.JsonObject>(Routes(("r1", "/one"), ("r2", "/two")))!;
        withoutCluster["ReverseProxy"]!["Clusters"]!.AsObject().Remove("c-r2");
        var problems = new List<ConfigProblem>();

        var second = GatewayConfigLoader.Compile(Tree(withoutCluster.ToJsonString()), ".", problems, first);

        second.Should().BeNull();
        problems.Select(p => p.ToString()).Should().Equal("ReverseProxy:Routes:r2:ClusterId: unknown cluster 'c-r2'");
    }

    [Fact]
    public async Task YarpsChecks_RunByTheReader_NotAgainByTheGatewaysYarp()
    {
        var bad = new RouteConfig { RouteId = "bad", ClusterId = "c", Match = new RouteMatch { Path = "/{" } };
        var services = new ServiceCollection().AddLogging();
        ProxyConfigValidator.AddProxyServices(services).TrustTheReader();
        var gatewaysYarp = services.BuildServiceProvider().GetRequiredService<IConfigValidator>();

        var reader = await ProxyConfigValidator.Standalone.ValidateRouteAsync(bad);
        var applied = await gatewaysYarp.ValidateRouteAsync(bad);

        reader.Should().ContainSingle("YARP's own checks refuse the path pattern");
        applied.Should().BeEmpty("what YARP is given was checked by the reader; checking 10,000 unchanged routes again on every reload is wasted");
    }

    private static CompiledConfig Compile(string json, CompiledConfig? previous)
    {
        var problems = new List<ConfigProblem>();
        var compiled = GatewayConfigLoader.Compile(Tree(json), ".", problems, previous);
        problems.Should().BeEmpty();
        return compiled!;
    }

    /// <summary>Routes, each with its own cluster of one destination.</summary>
    private static string Routes(params (string Id, string Path)[] routes)
    {
        var config = new GatewayConfigBuilder();
        foreach (var (id, path) in routes)
        {
            config.Route(id, path, "c-" + id).Destination("c-" + id, "d", "http://127.0.0.1:9001/");
        }

        return config.ToJson();
    }

    private static ConfigDocument Tree(string json) => ConfigDocument.Parse(Encoding.UTF8.GetBytes(json), "test", [])!;

    private static System.Text.Json.Nodes.JsonArray Strings(params string[] values) => new([.. values.Select(v => (System.Text.Json.Nodes.JsonNode)v)]);

    /// <summary>The routes and clusters YARP's own configuration reader (<c>LoadFromConfig</c>) makes of the JSON.</summary>
    private static IProxyConfig YarpReads(string json)
    {
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddReverseProxy().LoadFromConfig(configuration.GetSection("ReverseProxy"));
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IProxyConfigProvider>().GetConfig();
    }

    /// <summary>
    /// The object as JSON, names of maps sorted (YARP's reader keeps the configuration system's order, ours the file's)
    /// and an empty map or list as null (YARP's reader makes some of them null, ours keeps them; YARP treats both alike).
    /// </summary>
    private static string Json(object config) => Sorted(JsonSerializer.SerializeToNode(config, config.GetType()))?.ToJsonString() ?? "null";

    private static System.Text.Json.Nodes.JsonNode? Sorted(System.Text.Json.Nodes.JsonNode? node) => node switch
    {
        System.Text.Json.Nodes.JsonObject { Count: 0 } or System.Text.Json.Nodes.JsonArray { Count: 0 } => null,
        System.Text.Json.Nodes.JsonObject map => new System.Text.Json.Nodes.JsonObject(map.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value?.DeepClone())))),
        System.Text.Json.Nodes.JsonArray list => new System.Text.Json.Nodes.JsonArray([.. list.Select(item => Sorted(item?.DeepClone()))]),
        _ => node?.DeepClone(),
    };

    /// <summary>Every public property of a YARP config object, nested ones and list items included, that is null, empty or default.</summary>
    private static void Unset(object config, string path, List<string> unset)
    {
        foreach (var property in config.GetType().GetProperties().Where(p => p.GetIndexParameters().Length == 0 && p.GetMethod!.IsPublic && !p.GetMethod.IsStatic))
        {
            var value = property.GetValue(config);
            var at = path + "." + property.Name;
            switch (value)
            {
                case null:
                    unset.Add(at);
                    break;
                case string text when text.Length == 0:
                    unset.Add(at);
                    break;
                case IEnumerable items and not string:
                    var list = items.Cast<object>().ToList();
                    if (list.Count == 0)
                    {
                        unset.Add(at);
                    }

                    foreach (var item in list.Where(item => item.GetType().Namespace?.StartsWith("Yarp", StringComparison.Ordinal) == true))
                    {
                        Unset(item, at + "[]", unset);
                    }

                    break;
                case Enum when Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) == 0 && property.PropertyType.IsEnum:
                    unset.Add(at + " (default)");
                    break;
                case bool flag when !flag && property.PropertyType == typeof(bool):
                    unset.Add(at + " (default)");
                    break;
                default:
                    if (value.GetType().Namespace?.StartsWith("Yarp", StringComparison.Ordinal) == true && !value.GetType().IsEnum)
                    {
                        Unset(value, at, unset);
                    }

                    break;
            }
        }
    }

    private sealed class AcceptAll : IConfigValidator
    {
        public ValueTask<IList<Exception>> ValidateRouteAsync(RouteConfig route) => new([]);

        public ValueTask<IList<Exception>> ValidateClusterAsync(ClusterConfig cluster) => new([]);
    }
}
