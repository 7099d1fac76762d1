using Yarp.ReverseProxy.Configuration;

namespace Gateway.Host.Config;

/// <summary>
/// The routes and clusters of one config as YARP's objects, each kept with the JSON it was read from. The next reload
/// reads only the routes and clusters whose JSON changed and passes YARP the very objects it already has for the rest,
/// so YARP (which compares what it gets with what it runs) rebuilds only what changed, and its checks of the unchanged
/// ones are a table lookup (<see cref="ProxyConfigValidator"/>). Never changed once made: a reload that fails cannot
/// spoil the set that serves.
/// </summary>
internal sealed class ProxyConfigSet
{
    public static readonly ProxyConfigSet Empty = new([], [], new(StringComparer.OrdinalIgnoreCase), new(StringComparer.OrdinalIgnoreCase), 0);

    private readonly Dictionary<string, Entry<RouteConfig>> _routes;
    private readonly Dictionary<string, Entry<ClusterConfig>> _clusters;

    internal ProxyConfigSet(
        RouteConfig[] routes,
        ClusterConfig[] clusters,
        Dictionary<string, Entry<RouteConfig>> routesById,
        Dictionary<string, Entry<ClusterConfig>> clustersById,
        int readAnew)
    {
        Routes = routes;
        Clusters = clusters;
        _routes = routesById;
        _clusters = clustersById;
        ReadAnew = readAnew;
    }

    /// <summary>The routes, in the order of the file.</summary>
    public IReadOnlyList<RouteConfig> Routes { get; }

    /// <summary>The clusters, in the order of the file.</summary>
    public IReadOnlyList<ClusterConfig> Clusters { get; }

    /// <summary>Route ids (the lane groups name them).</summary>
    public IReadOnlyCollection<string> RouteIds => _routes.Keys;

    /// <summary>Routes and clusters that were read from their JSON, not taken from the previous set (reload log, tests).</summary>
    public int ReadAnew { get; }

    internal bool TryRoute(string id, ReadOnlySpan<byte> json, out Entry<RouteConfig> entry) => TryReuse(_routes, id, json, out entry);

    internal bool TryCluster(string id, ReadOnlySpan<byte> json, out Entry<ClusterConfig> entry) => TryReuse(_clusters, id, json, out entry);

    private static bool TryReuse<T>(Dictionary<string, Entry<T>> entries, string id, ReadOnlySpan<byte> json, out Entry<T> entry)
        where T : class
    {
        // The id is compared exactly: YARP keeps the id's spelling, so a route renamed only in case is a new route.
        if (entries.TryGetValue(id, out entry!) && entry.Id == id && json.SequenceEqual(entry.Json))
        {
            return true;
        }

        entry = null!;
        return false;
    }

    /// <summary>A route or cluster, its id as written and the JSON it was read from.</summary>
    internal sealed record Entry<T>(string Id, byte[] Json, T Config)
        where T : class;
}
