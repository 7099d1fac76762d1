using Gateway.Host.Config;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Host.Reload;

/// <summary>
/// YARP's routes and clusters: those of the last config that was validated and compiled, replaced together with the
/// lane snapshot. Routes and clusters whose JSON did not change are the same objects as before, so YARP rebuilds only
/// the endpoints of those that did (it still rebuilds its routing table, which is the cost that grows with the number
/// of routes).
/// </summary>
internal sealed class LiveProxyConfigProvider(ProxyConfigSet initial) : IProxyConfigProvider
{
    private volatile Snapshot _current = new(initial, new());

    public IProxyConfig GetConfig() => _current;

    /// <summary>
    /// Makes <paramref name="next"/> current and tells YARP; returns false, without telling YARP, when it is the set
    /// that serves (the reader returns that when no route or cluster changed, which is the usual gray-release edit:
    /// a lane's rules or percentage).
    /// </summary>
    public bool Replace(ProxyConfigSet next)
    {
        var previous = _current;
        if (ReferenceEquals(previous.Set, next))
        {
            return false;
        }

        _current = new Snapshot(next, new());

        // YARP reads the new config and rebuilds its routing before Cancel returns.
        previous.Changed.Cancel();
        return true;
    }

    private sealed record Snapshot(ProxyConfigSet Set, CancellationTokenSource Changed) : IProxyConfig
    {
        public IReadOnlyList<RouteConfig> Routes => Set.Routes;

        public IReadOnlyList<ClusterConfig> Clusters => Set.Clusters;

        public IChangeToken ChangeToken { get; } = new CancellationChangeToken(Changed.Token);
    }
}
