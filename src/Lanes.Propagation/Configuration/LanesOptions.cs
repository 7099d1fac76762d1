namespace Lanes.Propagation;

/// <summary>The <c>Lanes</c> section of a service's configuration. Read once at start.</summary>
public sealed class LanesOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "Lanes";

    /// <summary>This instance's own lane (default <c>base</c>, the baseline).</summary>
    public string Lane { get; set; } = LaneWireNames.Baseline;

    /// <summary>Header carrying the lane tag, read and written (default <c>x-mse-tag</c>); empty: only baggage is used.</summary>
    public string TagHeader { get; set; } = LaneWireNames.TagHeader;

    /// <summary>The lane in W3C baggage.</summary>
    public LaneBaggageOptions Baggage { get; set; } = new();

    /// <summary>Response header reporting the lane that served the request (default <c>x-served-lane</c>); empty switches it off.</summary>
    public string ServedLaneHeader { get; set; } = LaneWireNames.ServedLaneHeader;

    /// <summary>Callers (CIDRs or addresses) whose lane is believed; empty (the default) trusts every caller.</summary>
    public List<string> TrustedNetworks { get; set; } = [];

    /// <summary>Which calls carry the lane on: <see cref="LanePropagationScope.All"/> (the default) or only those to configured services.</summary>
    public LanePropagationScope PropagateTo { get; set; } = LanePropagationScope.All;

    /// <summary>Per called service settings, by service name (case-insensitive).</summary>
    public Dictionary<string, LaneServiceOptions> Services { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
