using System.Text.Json;
using Gateway.Routing.Config;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Host.Config;

/// <summary>
/// Reads YARP's <c>ReverseProxy</c> section into YARP's own <see cref="RouteConfig"/> and <see cref="ClusterConfig"/>
/// (whatever settings the YARP in use has; a key it does not have is a problem with its path), and has YARP check each
/// before anything is applied, so <c>validate</c> accepts exactly what the gateway can run and a reload YARP would
/// refuse keeps the last good config. On top, the gateway's own requirements: a route names an existing cluster,
/// destinations have absolute http(s) addresses, no session affinity. Given the set that serves, a route or cluster
/// whose JSON did not change is taken from it, not read or checked again.
/// </summary>
internal static class ProxyConfigReader
{
    public const string SectionName = "ReverseProxy";

    public static ProxyConfigSet Read(JsonElement section, ConfigReader reader, IConfigValidator validator, ProxyConfigSet previous)
    {
        if (section.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null || ConfigJson.Read<ReverseProxySection>(section, SectionName, reader) is null)
        {
            return ProxyConfigSet.Empty;
        }

        var readAnew = 0;
        var clusters = new List<ClusterConfig>();
        var clustersById = new Dictionary<string, ProxyConfigSet.Entry<ClusterConfig>>(StringComparer.OrdinalIgnoreCase);
        var clustersJson = ConfigJson.Child(section, "Clusters");
        foreach (var (id, json, path) in Entries(clustersJson, SectionName + ":Clusters", reader))
        {
            var entry = previous.TryCluster(id, ConfigJson.Raw(json), out var reused) ? reused : ReadAnew(id, json, path, reader, ReadCluster, validator.ValidateClusterAsync, ref readAnew);
            Add(clustersById, clusters, entry, path, reader);
        }

        var routes = new List<RouteConfig>();
        var routesById = new Dictionary<string, ProxyConfigSet.Entry<RouteConfig>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (id, json, path) in Entries(ConfigJson.Child(section, "Routes"), SectionName + ":Routes", reader))
        {
            var before = reader.ProblemCount;
            var entry = previous.TryRoute(id, ConfigJson.Raw(json), out var reused) ? reused : ReadAnew(id, json, path, reader, ReadRoute, validator.ValidateRouteAsync, ref readAnew);

            // Checked for every route, read or reused: the cluster it names may be the one that went away.
            if (entry.Config.ClusterId is null && reader.ProblemCount > before)
            {
                // Not read: its problems are reported already.
            }
            else if (string.IsNullOrWhiteSpace(entry.Config.ClusterId))
            {
                reader.Report(path + ":ClusterId", "a route needs a ClusterId");
            }
            else if (!clustersById.ContainsKey(entry.Config.ClusterId))
            {
                reader.Report(path + ":ClusterId", "unknown cluster '" + entry.Config.ClusterId + "'");
            }

            Add(routesById, routes, entry, path, reader);
        }

        // Nothing read anew and nothing removed: the serving set itself, so the proxy knows it has nothing to do.
        if (readAnew == 0 && SameOrder(routes, previous.Routes) && SameOrder(clusters, previous.Clusters))
        {
            return previous;
        }

        return new ProxyConfigSet([.. routes], [.. clusters], routesById, clustersById, readAnew);
    }

    private static IEnumerable<(string Id, JsonElement Json, string Path)> Entries(JsonElement section, string path, ConfigReader reader)
    {
        if (ConfigJson.IsObject(section, path, reader))
        {
            foreach (var property in section.EnumerateObject())
            {
                yield return (property.Name, property.Value, path + ":" + property.Name);
            }
        }
    }

    private static void Add<T>(Dictionary<string, ProxyConfigSet.Entry<T>> byId, List<T> list, ProxyConfigSet.Entry<T> entry, string path, ConfigReader reader)
        where T : class
    {
        if (byId.TryAdd(entry.Id, entry))
        {
            list.Add(entry.Config);
        }
        else
        {
            reader.Report(path, "appears twice (ids are case-insensitive)");
        }
    }

    /// <summary>A route without <c>Match</c> gets an empty one, as YARP's own reader gives it (YARP's checks then say what is missing).</summary>
    private static RouteConfig ReadRoute(string id, JsonElement json, string path, ConfigReader reader) =>
        ConfigJson.Read<RouteConfig>(json, path, reader) is { } route ? route with { RouteId = id, Match = route.Match ?? new RouteMatch() } : new RouteConfig { RouteId = id };

    private static ClusterConfig ReadCluster(string id, JsonElement json, string path, ConfigReader reader)
    {
        if (ConfigJson.Read<ClusterConfig>(json, path, reader) is not { } cluster)
        {
            return new ClusterConfig { ClusterId = id };
        }

        if (cluster.SessionAffinity?.Enabled == true)
        {
            // Lanes choose destinations themselves; YARP's affinity would run after them. Say so instead of ignoring it.
            reader.Report(path + ":SessionAffinity", "session affinity is not supported; use a percentage lane's StickyKey to keep users together");
        }

        foreach (var (name, destination) in cluster.Destinations ?? new Dictionary<string, DestinationConfig>())
        {
            if (!Uri.TryCreate(destination.Address, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                reader.Report(path + ":Destinations:" + name + ":Address", "'" + destination.Address + "' is not an absolute http or https address");
            }
        }

        return cluster with { ClusterId = id };
    }

    /// <summary>Reads a route or cluster from its JSON and, when it read cleanly, has YARP check it.</summary>
    private static ProxyConfigSet.Entry<T> ReadAnew<T>(
        string id, JsonElement json, string path, ConfigReader reader, Func<string, JsonElement, string, ConfigReader, T> read, Func<T, ValueTask<IList<Exception>>> check, ref int readAnew)
        where T : class
    {
        var before = reader.ProblemCount;
        var config = read(id, json, path, reader);
        if (reader.ProblemCount == before)
        {
            // YARP's checks complete synchronously unless a policy provider is asynchronous.
            var verdict = check(config);
            foreach (var error in verdict.IsCompletedSuccessfully ? verdict.Result : verdict.AsTask().GetAwaiter().GetResult())
            {
                reader.Report(path, error.Message);
            }
        }

        readAnew++;
        return new(id, ConfigJson.Raw(json).ToArray(), config);
    }

    private static bool SameOrder<T>(List<T> next, IReadOnlyList<T> previous)
        where T : class
    {
        if (next.Count != previous.Count)
        {
            return false;
        }

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
