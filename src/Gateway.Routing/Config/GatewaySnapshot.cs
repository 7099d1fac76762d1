using System.Collections.Frozen;
using Gateway.Routing.Clients;
using Gateway.Routing.Rules;
using Gateway.Routing.Tagging;

namespace Gateway.Routing.Config;

/// <summary>
/// One compiled, immutable revision of the lane config. Requests read it once and use it until they end
/// (<see cref="LaneDecider"/>); a reload builds a new one on the side and swaps it in whole.
/// </summary>
/// <param name="ServedLaneHeader">Response header backends report their lane in; null when the upstream escape check is off.</param>
/// <param name="TagDecisions">Every tag a lane stamps, with the decision a trusted client tag of that value gets.</param>
/// <param name="Baggage">How the lane is written into W3C baggage; null when <c>Lanes:Baggage:Enabled</c> is false.</param>
public sealed record GatewaySnapshot(
    string RevisionId,
    string TagHeader,
    string DestinationTagKey,
    string? ServedLaneHeader,
    IncomingTagTrust IncomingTrust,
    NetworkList TrustedTagNetworks,
    ClientAddressResolver Clients,
    RuleSet Rules,
    FrozenDictionary<string, LaneDecision> TagDecisions,
    LaneBaggage? Baggage);
