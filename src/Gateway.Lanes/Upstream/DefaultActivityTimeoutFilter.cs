using System.Runtime.CompilerServices;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Lanes.Upstream;

/// <summary>
/// Gives every cluster that sets no <c>HttpRequest:ActivityTimeout</c> the gateway's default of
/// <see cref="DefaultActivityTimeout"/> (YARP's own is 100 s, long for a client to wait on a hung backend before a
/// 504). The same cluster object always maps to the same result, so unchanged clusters stay the same objects across
/// reloads (the proxy config validator remembers objects that passed).
/// </summary>
internal sealed class DefaultActivityTimeoutFilter : IProxyConfigFilter
{
    public static readonly TimeSpan DefaultActivityTimeout = TimeSpan.FromSeconds(30);

    private readonly ConditionalWeakTable<ClusterConfig, ClusterConfig> _applied = new();

    public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel)
    {
        if (cluster.HttpRequest?.ActivityTimeout is not null)
        {
            return ValueTask.FromResult(cluster);
        }

        return ValueTask.FromResult(_applied.GetValue(cluster, static c => c with
        {
            HttpRequest = (c.HttpRequest ?? ForwarderRequestConfig.Empty) with { ActivityTimeout = DefaultActivityTimeout },
        }));
    }

    public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel) => ValueTask.FromResult(route);
}
