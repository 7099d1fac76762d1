using System.Collections.Concurrent;

namespace Lanes.Propagation;

/// <summary>The services called so far, by scheme, host and port; shared by every client's handler.</summary>
internal sealed class LaneTargets
{
    private readonly ConcurrentDictionary<(string Scheme, string Host, int Port), ServiceTarget> _targets = new();

    public ServiceTarget For(Uri uri) =>
        _targets.GetOrAdd((uri.Scheme, uri.Host, uri.Port), static (_, u) => new ServiceTarget(u), uri);
}
