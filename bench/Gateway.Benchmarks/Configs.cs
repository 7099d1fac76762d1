using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Host.Config;
using Gateway.Routing.Config;

namespace Gateway.Benchmarks;

/// <summary>The kinds of lane condition the rule benchmarks compare.</summary>
public enum RuleKind
{
    /// <summary>Header, Mode Exact (frozen-set lookup).</summary>
    HeaderExact,

    /// <summary>Header, Mode Regex (non-backtracking engine), anchored <c>^user-N$</c>.</summary>
    HeaderRegex,

    /// <summary>Sticky percentage on <c>header:x-user-id</c> (hash of the key per lane).</summary>
    Percentage,

    /// <summary>City rule, city from the trusted proxy's <c>X-Client-Ip-City</c> header.</summary>
    CityHeader,

    /// <summary>City rule, city from a 10,000-range CSV database (binary search).</summary>
    CityDatabase,

    /// <summary>Header, <c>Not</c> + Mode Exists: lanes that must not take the request see the header, the last one looks for an absent one.</summary>
    HeaderNot,

    /// <summary>Query parameter, Mode Exact, read by its case-sensitive name from the raw query string.</summary>
    QueryExact,

    /// <summary>Path, Mode Prefix on segment boundaries: <c>/r0/user-N</c>.</summary>
    PathPrefix,

    /// <summary>Path, Mode Regex (non-backtracking engine), anchored <c>^/r0/user-N/</c>.</summary>
    PathRegex,
}

/// <summary>Builds gateway configs of a given shape as JSON and compiles them the way the gateway does.</summary>
internal static class Configs
{
    public const string UserHeader = LoadConfigs.UserHeader;
    public const int CityRanges = 10_000;

    private static readonly object CityFileLock = new();
    private static string? cityFile;

    public static string Inv(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The user the request claims, matching lane <paramref name="index"/>'s rule.</summary>
    public static string User(int index) => "user-" + Inv(index);

    /// <summary>
    /// <paramref name="routes"/> routes <c>r0..</c>, each with its own cluster of two destinations (one baseline, one
    /// <c>gray</c>); no <c>Lanes</c> section.
    /// </summary>
    public static JsonObject Proxy(int routes)
    {
        var routeNodes = new JsonObject();
        var clusterNodes = new JsonObject();
        for (var i = 0; i < routes; i++)
        {
            var id = "r" + Inv(i);
            routeNodes[id] = new JsonObject { ["ClusterId"] = "c" + Inv(i), ["Match"] = new JsonObject { ["Path"] = "/" + id + "/{**rest}" } };
            clusterNodes["c" + Inv(i)] = new JsonObject
            {
                ["Destinations"] = new JsonObject
                {
                    ["c" + Inv(i) + "-base"] = new JsonObject { ["Address"] = "http://127.0.0.1:9001/" },
                    ["c" + Inv(i) + "-gray"] = new JsonObject { ["Address"] = "http://127.0.0.1:9002/", ["Metadata"] = new JsonObject { ["lane"] = "gray" } },
                },
            };
        }

        return new JsonObject { ["ReverseProxy"] = new JsonObject { ["Routes"] = routeNodes, ["Clusters"] = clusterNodes } };
    }

    /// <summary>Lane <paramref name="index"/> of the given kind; it matches only the request of <see cref="User"/>(index) or city-index.</summary>
    public static JsonObject Lane(RuleKind kind, int index, bool takesAll)
    {
        var lane = new JsonObject { ["Name"] = "l" + Inv(index), ["Tag"] = "lane-" + Inv(index) };
        switch (kind)
        {
            case RuleKind.HeaderExact:
                lane["Match"] = Headers("Exact", User(index));
                break;
            case RuleKind.HeaderRegex:
                lane["Match"] = Headers("Regex", "^" + User(index) + "$");
                break;
            case RuleKind.Percentage:
                // Only the lane meant to take the request has a share: every earlier lane still hashes the key and
                // passes, which is the worst case of a percentage chain.
                lane["Percentage"] = takesAll ? 100 : 0;
                lane["StickyKey"] = "header:" + UserHeader;
                break;
            case RuleKind.HeaderNot:
                var absent = new JsonObject { ["Name"] = takesAll ? "x-absent" : UserHeader, ["Mode"] = "Exists", ["Not"] = true };
                lane["Match"] = new JsonObject { ["Headers"] = new JsonArray(absent) };
                break;
            case RuleKind.QueryExact:
                lane["Match"] = new JsonObject
                {
                    ["Query"] = new JsonArray(new JsonObject { ["Name"] = "uid", ["Mode"] = "Exact", ["Values"] = new JsonArray(User(index)) }),
                };
                break;
            case RuleKind.PathPrefix:
                lane["Match"] = new JsonObject { ["Path"] = new JsonObject { ["Mode"] = "Prefix", ["Values"] = new JsonArray("/r0/" + User(index)) } };
                break;
            case RuleKind.PathRegex:
                lane["Match"] = new JsonObject { ["Path"] = new JsonObject { ["Mode"] = "Regex", ["Values"] = new JsonArray("^/r0/" + User(index) + "/") } };
                break;
            default:
                lane["Match"] = new JsonObject { ["Cities"] = new JsonArray("city-" + Inv(index)) };
                break;
        }

        return lane;
    }

    private static JsonObject Headers(string mode, string value) => new()
    {
        ["Headers"] = new JsonArray(new JsonObject { ["Name"] = UserHeader, ["Mode"] = mode, ["Values"] = new JsonArray(value) }),
    };

    /// <summary>One route <c>r0</c> whose group has <paramref name="lanes"/> lanes; only the last matches the request.</summary>
    public static JsonObject OneGroup(RuleKind kind, int lanes)
    {
        var root = Proxy(1);
        var list = new JsonArray();
        for (var i = 0; i < lanes; i++)
        {
            list.Add(Lane(kind, i, takesAll: i == lanes - 1));
        }

        root["Lanes"] = LanesSection(kind, new JsonObject { ["g"] = new JsonObject { ["Routes"] = new JsonArray("r0"), ["Lanes"] = list } });
        return root;
    }

    /// <summary><paramref name="lanes"/> routes, each with its own one-lane group: a request sees its route's lane only.</summary>
    public static JsonObject GroupPerRoute(RuleKind kind, int lanes)
    {
        var root = Proxy(lanes);
        var groups = new JsonObject();
        for (var i = 0; i < lanes; i++)
        {
            groups["g" + Inv(i)] = new JsonObject { ["Routes"] = new JsonArray("r" + Inv(i)), ["Lanes"] = new JsonArray(Lane(kind, i, takesAll: true)) };
        }

        root["Lanes"] = LanesSection(kind, groups);
        return root;
    }

    private static JsonObject LanesSection(RuleKind kind, JsonObject groups)
    {
        var section = new JsonObject { ["Groups"] = groups };
        if (kind == RuleKind.CityHeader)
        {
            section["ClientIp"] = new JsonObject { ["TrustedProxies"] = new JsonArray("127.0.0.1/32") };
        }
        else if (kind == RuleKind.CityDatabase)
        {
            section["ClientIp"] = new JsonObject { ["CityDatabase"] = CityFile() };
        }

        return section;
    }

    /// <summary>A /24 per city: city-K is 10.(K/256).(K%256).0/24.</summary>
    public static string CityAddress(int index) => "10." + Inv(index / 256) + "." + Inv(index % 256) + ".7";

    private static string CityFile()
    {
        lock (CityFileLock)
        {
            if (cityFile is not null)
            {
                return cityFile;
            }

            var text = new StringBuilder("start_ip,end_ip,city,province,country\n");
            for (var k = 0; k < CityRanges; k++)
            {
                var net = "10." + Inv(k / 256) + "." + Inv(k % 256) + ".";
                text.Append(net).Append('0').Append(',').Append(net).Append("255,city-").Append(Inv(k)).Append(",province-").Append(Inv(k % 31)).Append(",cn\n");
            }

            var path = Path.Combine(Path.GetTempPath(), "gateway-bench-cities-" + Inv(Environment.ProcessId) + ".csv");
            File.WriteAllText(path, text.ToString());
            return cityFile = path;
        }
    }

    /// <summary>
    /// The compile benchmark's config: <paramref name="routes"/> routes, each with its own cluster (baseline + gray) and,
    /// when <paramref name="withLanes"/>, its own group with load.sh's two lanes (two testers by header, a 10 % sticky canary).
    /// </summary>
    public static JsonObject Realistic(int routes, bool withLanes)
    {
        var root = Proxy(routes);
        if (!withLanes)
        {
            return root;
        }

        var groups = new JsonObject();
        for (var i = 0; i < routes; i++)
        {
            groups["g" + Inv(i)] = new JsonObject { ["Routes"] = new JsonArray("r" + Inv(i)), ["Lanes"] = LoadConfigs.TestersAndCanary(withEditedUser: false) };
        }

        root["Lanes"] = new JsonObject { ["Groups"] = groups };
        return root;
    }

    /// <summary>The gateway's own load path: JSON to configuration, then validation and compilation.</summary>
    public static GatewaySnapshot Compile(string json)
    {
        var problems = new List<ConfigProblem>();
        var source = GatewayConfigSource.FromJson(json);
        var configuration = GatewayConfigLoader.Load(source, problems);
        var snapshot = configuration is null ? null : GatewayConfigLoader.Compile(configuration, source.BaseDirectory, problems);
        return snapshot ?? throw new InvalidOperationException("benchmark config is invalid: " + string.Join("; ", problems));
    }
}
