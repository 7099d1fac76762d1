namespace Lanes.Propagation;

/// <summary>The names the package uses on the wire by default; the same as the Lanes Gateway's. Released names are final.</summary>
public static class LaneWireNames
{
    /// <summary>Header that carries the lane tag down the call chain.</summary>
    public const string TagHeader = "x-mse-tag";

    /// <summary>The W3C baggage header.</summary>
    public const string BaggageHeader = "baggage";

    /// <summary>The W3C baggage entry that carries the lane.</summary>
    public const string BaggageKey = "lane";

    /// <summary>Response header naming the lane that served the request along its sub-chain.</summary>
    public const string ServedLaneHeader = "x-served-lane";

    /// <summary>The lane of every instance without one, in headers, metrics and configuration.</summary>
    public const string Baseline = "base";
}
