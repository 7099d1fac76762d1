using Gateway.Lanes.Selection;
using Gateway.Routing;
using Gateway.Routing.Config;
using Gateway.Routing.Explain;
using Gateway.Routing.Tagging;
using Gateway.Lanes.Diagnostics;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace Gateway.Host.Explain;

/// <summary>
/// Explains how the gateway would route a request, by running the same rule evaluation and destination selection
/// as real traffic with a trace: the route, each lane rule tried and why it took the request or not, the bucket and
/// slice of percentage lanes, the tag stamped, the candidate destinations and the fallback decision.
/// </summary>
internal static class Explainer
{
    /// <summary>Ids for a lane that issues a sticky cookie, so the explained draw is the one a cookieless visitor gets.</summary>
    private static readonly System.Security.Cryptography.RandomNumberGenerator CookieIds = System.Security.Cryptography.RandomNumberGenerator.Create();

    /// <param name="clusters">A cluster's (all, usable) destinations, or null when it does not exist.</param>
    public static ExplainResult Explain(
        GatewaySnapshot snapshot, IEnumerable<RouteConfig> routes,
        Func<string, (IReadOnlyList<DestinationState> All, IReadOnlyList<DestinationState> Available)?> clusters, HttpContext context)
    {
        var request = context.Request;
        var described = new ExplainResult.RequestInfo(request.Method, request.Path + request.QueryString, request.Host.Value,
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString()), context.Connection.RemoteIpAddress?.ToString());
        var (route, note) = RouteMatcher.Match(routes, request);
        if (route is null)
        {
            return new ExplainResult(described, null, null, note, null, null, [], null, null, null);
        }

        var trace = new DecisionTrace();
        var decision = snapshot.Decide(context, route.RouteId, Random.Shared, CookieIds, out _, trace);
        var stamped = decision.Tag is { } tag ? snapshot.TagHeader + ": " + tag : "none: a baseline request is forwarded without " + snapshot.TagHeader;
        var cluster = route.ClusterId is null ? null : clusters(route.ClusterId);
        ExplainResult.DestinationsInfo? destinations = null;
        if (cluster is { } state)
        {
            var selection = LaneSelector.Select(decision, state.Available, state.All, snapshot.DestinationTagKey);
            destinations = new ExplainResult.DestinationsInfo(
                MetricValues.Decision(selection.Outcome),
                Explanation(selection.Outcome, decision.Tag),
                [.. selection.Destinations.Select(d => d.DestinationId)],
                [.. state.All.Select(d => Describe(d, state.Available, snapshot.DestinationTagKey))]);
        }

        return new ExplainResult(described, route.RouteId, route.ClusterId, note, trace.IncomingTag, trace.Group,
            trace.Lanes, new ExplainResult.DecisionInfo(decision.Tag ?? LaneNames.Baseline, decision.LaneName, decision.Reason.ToString(), decision.Fallback.ToString()),
            stamped, destinations);
    }

    private static string Explanation(Gateway.Routing.Tagging.LaneOutcome outcome, string? tag) => outcome switch
    {
        Gateway.Routing.Tagging.LaneOutcome.Lane => "served by a usable destination of lane " + tag,
        Gateway.Routing.Tagging.LaneOutcome.Baseline => "no lane: served by the baseline",
        Gateway.Routing.Tagging.LaneOutcome.Fallback => "lane " + tag + " has no destination in this cluster: the baseline serves it, tag kept",
        Gateway.Routing.Tagging.LaneOutcome.Drained => "every destination of lane " + tag + " here is draining: the baseline serves it (planned, not an escape), tag kept",
        Gateway.Routing.Tagging.LaneOutcome.Escaped => "lane " + tag + " has destinations here but none is usable: the baseline serves it (an escape), tag kept",
        Gateway.Routing.Tagging.LaneOutcome.Rejected => "lane " + tag + " has no usable destination and is strict (Fallback Reject): 503",
        _ => "no usable baseline destination: 503",
    };

    private static ExplainResult.DestinationInfo Describe(DestinationState destination, IReadOnlyList<DestinationState> available, string tagKey) => new(
        destination.DestinationId,
        LaneDestinations.LaneOf(destination, tagKey) ?? LaneNames.Baseline,
        // As /admin/config shows it: an address may carry a user and password.
        UrlCredentials.Redact(destination.Model.Config.Address),
        // As the destinations gauge says it: a draining destination takes no request, whatever YARP's health says.
        LaneDestinations.IsDraining(destination) ? "draining" : available.Contains(destination) ? "usable" : "unhealthy",
        LaneDestinations.IsDraining(destination),
        LaneDestinations.WarmupSeconds(destination));
}
