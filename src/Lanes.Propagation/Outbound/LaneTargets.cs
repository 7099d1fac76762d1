namespace Lanes.Propagation;

/// <summary>
/// The services called so far, by scheme, host and port; shared by every client's handler. Only the first
/// <see cref="Capacity"/> hosts are kept: a service that calls many distinct hosts (webhooks to customer URLs, presigned
/// storage hosts, per-tenant hosts) keeps a flat memory, and a host called after that gets a target built for the call.
/// Such a target's round robin starts afresh, so each call goes to the host's first usable instance: acceptable because
/// the services a caller balances over several instances are the handful it calls all the time, from its first
/// requests on, while the long tail of one-off hosts resolves each to itself, one endpoint with nothing to rotate.
/// </summary>
internal sealed class LaneTargets
{
    /// <summary>Far more than the services one service calls, yet little memory when every slot holds a one-off host.</summary>
    public const int Capacity = 256;

    private readonly BoundedCache<(string Scheme, string Host, int Port), ServiceTarget> _targets = new(Capacity);

    /// <summary>The targets kept.</summary>
    public int Count => _targets.Count;

    public ServiceTarget For(Uri uri) =>
        _targets.GetOrAdd((uri.Scheme, uri.Host, uri.Port), static (_, u) => new ServiceTarget(u), uri);
}
