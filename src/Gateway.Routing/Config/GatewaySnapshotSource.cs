namespace Gateway.Routing.Config;

/// <summary>
/// Holds the current <see cref="GatewaySnapshot"/>. Readers take <see cref="Current"/> once per request, without
/// locks; a reload publishes a complete new snapshot, so no request ever sees half an old and half a new config.
/// </summary>
public sealed class GatewaySnapshotSource
{
    private volatile GatewaySnapshot _current;

    public GatewaySnapshotSource(GatewaySnapshot initial) => _current = initial;

    public GatewaySnapshot Current => _current;

    /// <summary>Swaps in a new snapshot and returns the one it replaced.</summary>
    public GatewaySnapshot Publish(GatewaySnapshot snapshot) => Interlocked.Exchange(ref _current, snapshot);
}
