using Gateway.Routing;
using Gateway.Routing.Config;
using Gateway.Routing.Tagging;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Model;

namespace Gateway.Lanes.Selection;

/// <summary>
/// Narrows YARP's available destinations to the request's lane. A lane without a usable destination falls back to
/// the baseline (the tag stays stamped, so later hops can re-enter the lane) or, when strict, is answered 503.
/// Untagged requests only ever see baseline destinations.
/// </summary>
internal sealed partial class LaneSelectionMiddleware(RequestDelegate next, DestinationWarmup warmup, ILogger<LaneSelectionMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<ILaneFeature>() is not { } lane)
        {
            return next(context);
        }

        var proxy = context.GetReverseProxyFeature();
        var tagKey = lane.Snapshot.DestinationTagKey;
        var available = LaneDestinations.For(proxy.AvailableDestinations, tagKey);
        var outcome = LaneOutcome.Baseline;
        if (lane.Decision.Tag is { } tag)
        {
            var destinations = available.Lane(tag);
            if (destinations.Count > 0)
            {
                return Continue(context, proxy, lane, available.AnyWarmup ? warmup.Apply(destinations) : destinations, LaneOutcome.Lane);
            }

            var deployed = LaneDestinations.For(proxy.AllDestinations, tagKey).IsDeployed(tag);
            if (lane.Decision.Fallback == LaneFallback.Reject)
            {
                lane.Outcome = LaneOutcome.Rejected;
                Log.LaneRejected(logger, proxy.Route.Config.RouteId, tag);
                return LaneErrorResponse.WriteAsync(context, "lane_unavailable", tag, proxy.Route.Config.RouteId,
                    deployed ? "no destination of the lane is healthy" : "the lane has no destination in this cluster");
            }

            outcome = deployed ? LaneOutcome.Escaped : LaneOutcome.Fallback;
        }

        if (available.Baseline.Count == 0)
        {
            lane.Outcome = LaneOutcome.NoBaseline;
            Log.NoBaseline(logger, proxy.Route.Config.RouteId, lane.Decision.Tag ?? LaneNames.Baseline);
            return LaneErrorResponse.WriteAsync(context, "baseline_unavailable", lane.Decision.Tag, proxy.Route.Config.RouteId,
                "the cluster has no usable baseline destination");
        }

        return Continue(context, proxy, lane, available.AnyWarmup ? warmup.Apply(available.Baseline) : available.Baseline, outcome);
    }

    private Task Continue(HttpContext context, IReverseProxyFeature proxy, ILaneFeature lane, IReadOnlyList<DestinationState> destinations, LaneOutcome outcome)
    {
        proxy.AvailableDestinations = destinations;
        lane.Outcome = outcome;
        return next(context);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2000, Level = LogLevel.Debug, Message = "Route {RouteId}: lane {LaneTag} has no usable destination and is strict; answered 503")]
        public static partial void LaneRejected(ILogger logger, string routeId, string laneTag);

        [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Route {RouteId}: no usable baseline destination for lane {LaneTag}; answered 503")]
        public static partial void NoBaseline(ILogger logger, string routeId, string laneTag);
    }
}
