using System.Collections.Frozen;
using Gateway.Routing.Clients;
using Gateway.Routing.Rules;
using Gateway.Routing.Tagging;

namespace Gateway.Routing.Config;

/// <summary>
/// One compiled, immutable revision of the lane config. Requests read it once and use it until they end
/// (<see cref="LaneDecider"/>); a reload builds a new one on the side and swaps it in whole.
/// </summary>
public sealed class GatewaySnapshot(
    string revisionId,
    string tagHeader,
    string destinationTagKey,
    string? servedLaneHeader,
    IncomingTagTrust incomingTrust,
    NetworkList trustedTagNetworks,
    ClientAddressResolver clients,
    RuleSet rules,
    FrozenDictionary<string, LaneDecision> tagDecisions)
{
    public string RevisionId { get; } = revisionId;

    public string TagHeader { get; } = tagHeader;

    public string DestinationTagKey { get; } = destinationTagKey;

    /// <summary>Response header backends report their lane in; null when the upstream escape check is off.</summary>
    public string? ServedLaneHeader { get; } = servedLaneHeader;

    /// <summary>How the lane is written into W3C baggage; null when <c>Lanes:Baggage:Enabled</c> is false.</summary>
    public LaneBaggage? Baggage { get; init; }

    public IncomingTagTrust IncomingTrust { get; } = incomingTrust;

    public NetworkList TrustedTagNetworks { get; } = trustedTagNetworks;

    public ClientAddressResolver Clients { get; } = clients;

    public RuleSet Rules { get; } = rules;

    /// <summary>Every tag a lane stamps, with the decision a trusted client tag of that value gets.</summary>
    public FrozenDictionary<string, LaneDecision> TagDecisions { get; } = tagDecisions;
}
