namespace Gateway.Routing.Config;

/// <summary>The <c>Lanes</c> section of the gateway config (binding only; compiled into a <see cref="GatewaySnapshot"/>).</summary>
public sealed class LanesOptions
{
    public const string SectionName = "Lanes";

    public string TagHeader { get; set; } = LaneHeaders.Tag;

    public string DestinationTagKey { get; set; } = LaneMetadata.Lane;

    /// <summary>Response header in which backends report the lane that served a request; empty switches the check off.</summary>
    public string? ServedLaneHeader { get; set; } = LaneHeaders.ServedLane;

    /// <summary>The lane as a W3C baggage entry on forwarded requests (on by default).</summary>
    public LaneBaggageOptions Baggage { get; set; } = new();

    public IncomingTagOptions IncomingTag { get; set; } = new();

    public ClientIpOptions ClientIp { get; set; } = new();

    public List<LaneGroupOptions> Groups { get; set; } = [];
}
