namespace Lanes.Propagation;

/// <summary>Settings for calls to one service, under <c>Lanes:Services:NAME</c>.</summary>
public sealed class LaneServiceOptions
{
    /// <summary>When the service has no usable instance of the caller's lane (default <see cref="LaneFallback.Baseline"/>).</summary>
    public LaneFallback Fallback { get; set; } = LaneFallback.Baseline;
}
