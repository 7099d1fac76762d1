using Gateway.Routing.Config;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Host.Config;

/// <summary>
/// Reads YARP's <c>ReverseProxy</c> section (the same keys and values YARP's own config reader takes) into route and
/// cluster objects, and checks them as YARP will before anything is applied: a config YARP would refuse (a bad path
/// pattern, an unknown transform or policy, a value that is not a number) is a config problem with its path, so
/// <c>validate</c> catches it and a reload keeps the last good config, lanes and routes alike. Stricter than YARP's
/// reader, a key it does not know is a problem too (typos live forever otherwise), and so are the gateway's own
/// requirements: a route names an existing cluster, destinations have absolute http(s) addresses, no session affinity.
/// Given the set that serves, a route or cluster whose JSON did not change is taken from it, not read or checked again.
/// The field-by-field reading is in <c>ProxyConfigReader.Objects.cs</c>.
/// </summary>
internal static partial class ProxyConfigReader
{
    public const string SectionName = "ReverseProxy";

    public static ProxyConfigSet Read(ConfigTree tree, ConfigReader reader, IConfigValidator validator, ProxyConfigSet previous)
    {
        var section = tree.GetSection(SectionName);
        reader.CheckKeys(section, "Routes", "Clusters");
        var readAnew = 0;
        Func<ClusterConfig, ValueTask<IList<Exception>>> checkCluster = validator.ValidateClusterAsync;
        Func<RouteConfig, ValueTask<IList<Exception>>> checkRoute = validator.ValidateRouteAsync;

        var clusters = new List<ClusterConfig>();
        var clustersById = new Dictionary<string, ProxyConfigSet.Entry<ClusterConfig>>(StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetSection("Clusters").GetChildren())
        {
            var entry = previous.TryCluster(child.Key, Json(child), out var reused)
                ? reused
                : ReadAnew(child, reader, ReadCluster, checkCluster, ref readAnew);
            clustersById.Add(child.Key, entry);
            clusters.Add(entry.Config);
        }

        var routes = new List<RouteConfig>();
        var routesById = new Dictionary<string, ProxyConfigSet.Entry<RouteConfig>>(StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetSection("Routes").GetChildren())
        {
            var entry = previous.TryRoute(child.Key, Json(child), out var reused)
                ? reused
                : ReadAnew(child, reader, ReadRoute, checkRoute, ref readAnew);

            // Checked for every route, read or reused: the cluster it names may be the one that went away.
            CheckCluster(entry.Config, clustersById, reader);
            routesById.Add(child.Key, entry);
            routes.Add(entry.Config);
        }

        // Nothing read anew and nothing removed: the serving set itself, so the proxy knows it has nothing to do.
        if (readAnew == 0 && routes.Count == previous.Routes.Count && clusters.Count == previous.Clusters.Count && SameOrder(routes, previous.Routes) && SameOrder(clusters, previous.Clusters))
        {
            return previous;
        }

        return new ProxyConfigSet([.. routes], [.. clusters], routesById, clustersById, readAnew);
    }

    private static void CheckCluster(RouteConfig route, Dictionary<string, ProxyConfigSet.Entry<ClusterConfig>> clusters, ConfigReader reader)
    {
        if (string.IsNullOrWhiteSpace(route.ClusterId))
        {
            reader.Report(RoutePath(route.RouteId) + ":ClusterId", "a route needs a ClusterId");
        }
        else if (!clusters.ContainsKey(route.ClusterId))
        {
            reader.Report(RoutePath(route.RouteId) + ":ClusterId", "unknown cluster '" + route.ClusterId + "'");
        }
    }

    private static string RoutePath(string id) => SectionName + ":Routes:" + id;

    private static ReadOnlySpan<byte> Json(IConfigurationSection child) => ((IJsonSection)child).Json;

    /// <summary>Reads a route or cluster from its JSON and, when it read cleanly, has YARP check it.</summary>
    private static ProxyConfigSet.Entry<T> ReadAnew<T>(
        IConfigurationSection child,
        ConfigReader reader,
        Func<IConfigurationSection, ConfigReader, T> read,
        Func<T, ValueTask<IList<Exception>>> check,
        ref int readAnew)
        where T : class
    {
        var before = reader.ProblemCount;
        var config = read(child, reader);
        if (reader.ProblemCount == before)
        {
            // YARP's checks complete synchronously unless a policy provider is asynchronous.
            var verdict = check(config);
            foreach (var error in verdict.IsCompletedSuccessfully ? verdict.Result : verdict.AsTask().GetAwaiter().GetResult())
            {
                reader.Report(child, error.Message);
            }
        }

        readAnew++;
        return new(child.Key, Json(child).ToArray(), config);
    }

    private static bool SameOrder<T>(List<T> next, IReadOnlyList<T> previous)
        where T : class
    {
        for (var i = 0; i < next.Count; i++)
        {
            if (!ReferenceEquals(next[i], previous[i]))
            {
                return false;
            }
        }

        return true;
    }
}
