using Gateway.Routing;
using Gateway.Routing.Tagging;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gateway.Lanes.Selection;

/// <summary>
/// Narrows YARP's available destinations to the request's lane (see <see cref="LaneSelector"/>). A lane without a
/// usable destination falls back to the baseline (the tag stays stamped, so later hops can re-enter the lane) or,
/// when strict, is answered 503. Untagged requests only ever see baseline destinations.
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
        var selection = LaneSelector.Select(lane.Decision, proxy.AvailableDestinations, proxy.AllDestinations, lane.Snapshot.DestinationTagKey);
        lane.Outcome = selection.Outcome;
        var route = proxy.Route.Config.RouteId;
        switch (selection.Outcome)
        {
            case LaneOutcome.Rejected:
                Log.LaneRejected(logger, route, lane.Decision.Tag!);
                return LaneErrorResponse.WriteAsync(context, "lane_unavailable", lane.Decision.Tag, route,
                    selection.LaneDrained ? "every destination of the lane is draining"
                    : selection.LaneDeployed ? "no destination of the lane is healthy" : "the lane has no destination in this cluster");
            case LaneOutcome.NoBaseline:
                Log.NoBaseline(logger, route, lane.Decision.Tag ?? LaneNames.Baseline);
                return LaneErrorResponse.WriteAsync(context, "baseline_unavailable", lane.Decision.Tag, route, "the cluster has no usable baseline destination");
            default:
                proxy.AvailableDestinations = selection.AnyWarmup ? warmup.Apply(selection.Destinations) : selection.Destinations;
                return next(context);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2000, Level = LogLevel.Debug, Message = "Route {RouteId}: lane {LaneTag} has no usable destination and is strict; answered 503")]
        public static partial void LaneRejected(ILogger logger, string routeId, string laneTag);

        [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Route {RouteId}: no usable baseline destination for lane {LaneTag}; answered 503")]
        public static partial void NoBaseline(ILogger logger, string routeId, string laneTag);
    }
}
