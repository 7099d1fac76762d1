using System.Security.Cryptography;
using Gateway.Routing.Clients;
using Gateway.Routing.Config;
using Gateway.Routing.Explain;
using Microsoft.AspNetCore.Http;
using Lanes.Wire;

namespace Gateway.Routing.Tagging;

/// <summary>Puts a request in a lane with one config revision: the request-time side of a <see cref="GatewaySnapshot"/>.</summary>
public static class LaneDecider
{
    /// <summary>A trusted client's <c>base</c>: the baseline, forwarded untagged as a pinned lane's request is, not a lane named base.</summary>
    private static readonly LaneDecision TrustedBaseline = new(null, null, null, LaneFallback.Baseline, LaneReason.IncomingTag);

    extension(GatewaySnapshot snapshot)
    {
        /// <summary>
        /// Puts a request in a lane. A client tag is used when the client is trusted to send one (and it is well formed);
        /// otherwise it is removed from the request before the rules run, so no rule or backend ever sees a forged tag.
        /// </summary>
        public LaneDecision Decide(HttpContext context, string routeId, Random random, DecisionTrace? trace = null) =>
            snapshot.Decide(context, routeId, random, null, out _, trace);

        /// <summary>
        /// Puts a request in a lane, issuing a sticky cookie with ids from <paramref name="cookieIds"/> when a lane of the
        /// request's group needs one (<c>IssueCookie</c>); <paramref name="setCookie"/> is then the <c>Set-Cookie</c> value
        /// to send back. Without <paramref name="cookieIds"/>, no cookie is issued and a key-less request gets a random draw.
        /// </summary>
        public LaneDecision Decide(HttpContext context, string routeId, Random random, RandomNumberGenerator? cookieIds, out string? setCookie, DecisionTrace? trace = null)
        {
            setCookie = null;
            var facts = new RequestFacts(context, snapshot.Clients) { CookieIds = cookieIds };
            var headers = context.Request.Headers;
            if (headers.TryGetValue(snapshot.TagHeader, out var incoming))
            {
                var trust = snapshot.IncomingTrust;
                if (trust != IncomingTagTrust.None && incoming.Count == 1 && LaneWire.IsValidTag(incoming[0])
                    && (trust == IncomingTagTrust.All || snapshot.TrustedTagNetworks.Contains(facts.ClientAddress)))
                {
                    var tag = incoming[0]!;
                    var trusted = tag == LaneNames.Baseline ? TrustedBaseline
                        : snapshot.TagDecisions.TryGetValue(tag, out var known) ? known
                        : new LaneDecision(tag, null, null, LaneFallback.Baseline, LaneReason.IncomingTag);
                    if (trace is not null)
                    {
                        trace.IncomingTag = "trusted (IncomingTag:Trust " + trust + "): rules skipped";
                        trace.Decision = trusted;
                    }

                    return trusted;
                }

                if (trace is not null)
                {
                    trace.IncomingTag = trust == IncomingTagTrust.None ? "removed: IncomingTag:Trust is None"
                        : !LaneWire.IsValidTag(incoming.Count == 1 ? incoming[0] : null) ? "removed: malformed or repeated tag"
                        : "removed: client address not in IncomingTag:TrustedNetworks";
                }

                headers.Remove(snapshot.TagHeader);
            }

            var group = snapshot.Rules.For(routeId);
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
}
