namespace Lanes.Propagation;

/// <summary>The lane in W3C <c>baggage</c>, under <c>Lanes:Baggage</c>.</summary>
public sealed class LaneBaggageOptions
{
    /// <summary>Read the lane from <c>baggage</c> when the tag header is absent, and write it on outgoing calls (default true).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The baggage entry's key (default <c>lane</c>).</summary>
    public string Key { get; set; } = LaneWireNames.BaggageKey;
}
