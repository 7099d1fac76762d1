using Yarp.ReverseProxy.Configuration;

namespace Gateway.Host.Config;

/// <summary>The routes and clusters of one config as YARP's objects; what the next reload can reuse of them (<see cref="ConfigEntries{T}"/>).</summary>
internal sealed record ProxyConfigSet(ConfigEntries<RouteConfig> RouteEntries, ConfigEntries<ClusterConfig> ClusterEntries)
{
    public static readonly ProxyConfigSet Empty = new(ConfigEntries<RouteConfig>.Empty, ConfigEntries<ClusterConfig>.Empty);

    /// <summary>The routes, in the order of the file.</summary>
    public IReadOnlyList<RouteConfig> Routes => RouteEntries.Items;

    /// <summary>The clusters, in the order of the file.</summary>
    public IReadOnlyList<ClusterConfig> Clusters => ClusterEntries.Items;

    /// <summary>Route ids (the lane groups name them).</summary>
    public IReadOnlyCollection<string> RouteIds => RouteEntries.Ids;

    /// <summary>Routes and clusters that were read from their JSON, not taken from the previous set (reload log, tests).</summary>
    public int ReadAnew => RouteEntries.ReadAnew + ClusterEntries.ReadAnew;
}
