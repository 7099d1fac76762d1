using System.Text.Json;
using Gateway.Lanes.Selection;
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
        var keys = ConfigJson.ReadMembers<ReverseProxySection>(section, SectionName, reader);
        var clusters = previous.ClusterEntries.Next(keys.Clusters, SectionName + ":Clusters", "ids", reader, (id, json, path) => ReadCluster(id, json, path, reader, validator));
        var routes = previous.RouteEntries.Next(keys.Routes, SectionName + ":Routes", "ids", reader, (id, json, path) => ReadRoute(id, json, path, reader, validator));

        // Checked for every route, read or reused: the cluster it names may be the one that went away.
        foreach (var route in routes.Items)
        {
            if (!string.IsNullOrWhiteSpace(route.ClusterId) && !clusters.Contains(route.ClusterId))
            {
                reader.Report(SectionName + ":Routes:" + route.RouteId + ":ClusterId", "unknown cluster '" + route.ClusterId + "'");
            }
        }

        // Nothing changed: the serving set itself, so the proxy knows it has nothing to do.
        return routes.Items == previous.Routes && clusters.Items == previous.Clusters ? previous : new(routes, clusters);
    }

    private static RouteConfig ReadRoute(string id, JsonElement json, string path, ConfigReader reader, IConfigValidator validator)
    {
        var before = reader.ProblemCount;
        if (ConfigJson.Read<RouteConfig>(json, path, reader) is not { } route)
        {
            return new RouteConfig { RouteId = id };
        }

        ConfigJson.KeyInside(route.RouteId, path + ":RouteId", reader);
        if (string.IsNullOrWhiteSpace(route.ClusterId))
        {
            reader.Report(path + ":ClusterId", "a route needs a ClusterId");
        }

        // A route without Match gets an empty one, as YARP's own reader gives it (YARP's checks then say what is missing).
        return Check(route with { RouteId = id, Match = route.Match ?? new RouteMatch() }, before, path, reader, validator.ValidateRouteAsync);
    }

    private static ClusterConfig ReadCluster(string id, JsonElement json, string path, ConfigReader reader, IConfigValidator validator)
    {
        var before = reader.ProblemCount;
        if (ConfigJson.Read<ClusterConfig>(json, path, reader) is not { } cluster)
        {
            return new ClusterConfig { ClusterId = id };
        }

        ConfigJson.KeyInside(cluster.ClusterId, path + ":ClusterId", reader);
        if (cluster.SessionAffinity?.Enabled == true)
        {
            // Lanes choose destinations themselves; YARP's affinity would run after them. Say so instead of ignoring it.
            reader.Report(path + ":SessionAffinity", "session affinity is not supported; use a percentage lane's StickyKey to keep users together");
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, destination) in cluster.Destinations ?? new Dictionary<string, DestinationConfig>())
        {
            var at = path + ":Destinations:" + name;
            if (!names.Add(name))
            {
                reader.Report(at, "appears twice (names are case-insensitive)");
            }
            else if (!Uri.TryCreate(destination.Address, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                reader.Report(at + ":Address", "'" + destination.Address + "' is not an absolute http or https address");
            }

            foreach (var (key, value) in destination.Metadata ?? new Dictionary<string, string>())
            {
                if (LaneDestinations.MetadataProblem(key, value) is { } problem)
                {
                    reader.Report(at + ":Metadata:" + key, problem);
                }
            }
        }

        return Check(cluster with { ClusterId = id }, before, path, reader, validator.ValidateClusterAsync);
    }

    /// <summary>Has YARP check a route or cluster that read cleanly.</summary>
    private static T Check<T>(T config, int before, string path, ConfigReader reader, Func<T, ValueTask<IList<Exception>>> check)
    {
        if (reader.ProblemCount == before)
        {
            // YARP's checks complete synchronously unless a policy provider is asynchronous.
            var verdict = check(config);
            foreach (var error in verdict.IsCompletedSuccessfully ? verdict.Result : verdict.AsTask().GetAwaiter().GetResult())
            {
                reader.Report(path, error.Message);
            }
        }

        return config;
    }
}
