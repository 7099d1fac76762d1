using System.Collections.Frozen;
using System.Security.Cryptography;
using Gateway.Routing.Clients;
using Gateway.Routing.Config;
using Gateway.Routing.Explain;
using Gateway.Routing.Rules;
using Gateway.Routing.Tagging;
using Microsoft.AspNetCore.Http;

namespace Gateway.Routing.Config;

/// <summary>
/// One compiled, immutable revision of the lane config. Requests read it once and use it until they end; a reload
/// builds a new one on the side and swaps it in whole.
/// </summary>
public sealed class GatewaySnapshot
{
    public GatewaySnapshot(
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
        RevisionId = revisionId;
        TagHeader = tagHeader;
        DestinationTagKey = destinationTagKey;
        ServedLaneHeader = servedLaneHeader;
        IncomingTrust = incomingTrust;
        TrustedTagNetworks = trustedTagNetworks;
        Clients = clients;
        Rules = rules;
        TagDecisions = tagDecisions;
    }

    public string RevisionId { get; }

    public string TagHeader { get; }

    public string DestinationTagKey { get; }

    /// <summary>Response header backends report their lane in; null when the upstream escape check is off.</summary>
    public string? ServedLaneHeader { get; }

    /// <summary>How the lane is written into W3C baggage; null when <c>Lanes:Baggage:Enabled</c> is false.</summary>
    public LaneBaggage? Baggage { get; init; }

    public IncomingTagTrust IncomingTrust { get; }

    public NetworkList TrustedTagNetworks { get; }

    public ClientAddressResolver Clients { get; }

    public RuleSet Rules { get; }

    /// <summary>Every tag a lane stamps, with the decision a trusted client tag of that value gets.</summary>
    public FrozenDictionary<string, LaneDecision> TagDecisions { get; }

    /// <summary>
    /// Puts a request in a lane. A client tag is used when the client is trusted to send one (and it is well formed);
    /// otherwise it is removed from the request before the rules run, so no rule or backend ever sees a forged tag.
    /// </summary>
    public LaneDecision Decide(HttpContext context, string routeId, Random random, DecisionTrace? trace = null) =>
        Decide(context, routeId, random, null, out _, trace);

    /// <summary>
    /// Puts a request in a lane, issuing a sticky cookie with ids from <paramref name="cookieIds"/> when a lane of the
    /// request's group needs one (<c>IssueCookie</c>); <paramref name="setCookie"/> is then the <c>Set-Cookie</c> value
    /// to send back. Without <paramref name="cookieIds"/>, no cookie is issued and a key-less request gets a random draw.
    /// </summary>
    public LaneDecision Decide(HttpContext context, string routeId, Random random, RandomNumberGenerator? cookieIds, out string? setCookie, DecisionTrace? trace = null)
    {
        setCookie = null;
        var facts = new RequestFacts(context, Clients) { CookieIds = cookieIds };
        var headers = context.Request.Headers;
        if (headers.TryGetValue(TagHeader, out var incoming))
        {
            if (IncomingTrust != IncomingTagTrust.None && incoming.Count == 1 && LaneTag.IsValid(incoming[0])
                && (IncomingTrust == IncomingTagTrust.All || TrustedTagNetworks.Contains(facts.ClientAddress)))
            {
                var tag = incoming[0]!;
                var trusted = TagDecisions.TryGetValue(tag, out var known)
                    ? known
                    : new LaneDecision(tag, null, null, LaneFallback.Baseline, LaneReason.IncomingTag);
                if (trace is not null)
                {
                    trace.IncomingTag = "trusted (IncomingTag:Trust " + IncomingTrust + "): rules skipped";
                    trace.Decision = trusted;
                }

                return trusted;
            }

            if (trace is not null)
            {
                trace.IncomingTag = IncomingTrust == IncomingTagTrust.None ? "removed: IncomingTag:Trust is None"
                    : !LaneTag.IsValid(incoming.Count == 1 ? incoming[0] : null) ? "removed: malformed or repeated tag"
                    : "removed: client address not in IncomingTag:TrustedNetworks";
            }

            headers.Remove(TagHeader);
        }

        var group = Rules.For(routeId);
        var decision = group?.Evaluate(ref facts, random, trace) ?? LaneDecision.Baseline;
        if (facts.IssuedId is { } id)
        {
            setCookie = facts.IssuedCookie!.SetCookie(id, context.Request.IsHttps);
        }

        if (trace is not null)
        {
            trace.Group = group?.Name;
            trace.Decision = decision;
        }

        return decision;
    }
}
