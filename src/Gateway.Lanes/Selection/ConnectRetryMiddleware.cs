using System.Net.Http;
using Gateway.Lanes.Diagnostics;
using Gateway.Lanes.Upstream;
using Gateway.Routing;
using Gateway.Routing.Config;
using Gateway.Routing.Tagging;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Gateway.Lanes.Selection;

/// <summary>
/// Around the forwarding attempts. A destination that refuses the connection (nothing of the request has left the
/// gateway) is not the user's problem: the request is sent once more, to another usable destination of its lane,
/// else per the lane's <c>Fallback</c> (the baseline, keeping the tag, or 503). This covers the gap until health
/// checks notice a dead instance. Anything that failed after the connection was made is never retried, and neither
/// is a request with a body (it may be streaming from the client). Every attempt is recorded in the
/// <see cref="UpstreamFailureLog"/>, and a failure the gateway answers itself gets its JSON body
/// (<see cref="UpstreamErrorResponse"/>) once the last attempt is over.
/// </summary>
internal sealed partial class ConnectRetryMiddleware(RequestDelegate next, LaneMetrics metrics, UpstreamFailureLog failures, ILogger<ConnectRetryMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        // The load balancer narrows the list to its pick, so keep the lane's candidates from before the attempt.
        var laneCandidates = context.GetReverseProxyFeature().AvailableDestinations;
        await next(context);
        failures.Record(context);
        if (ShouldRetry(context) && context.Features.Get<ILaneFeature>() is { } lane)
        {
            await RetryAsync(context, lane, laneCandidates);
        }

        await UpstreamErrorResponse.WriteIfFailedAsync(context);
    }

    private async Task RetryAsync(HttpContext context, ILaneFeature lane, IReadOnlyList<DestinationState> laneCandidates)
    {
        var proxy = context.GetReverseProxyFeature();
        var failed = proxy.ProxiedDestination;
        var route = proxy.Route.Config.RouteId;
        var cluster = proxy.Cluster?.Config.ClusterId ?? MetricValues.None;
        var laneName = lane.Decision.Tag ?? LaneNames.Baseline;
        var candidates = Without(laneCandidates, failed);
        if (candidates.Count == 0 && lane.Decision.Tag is not null)
        {
            if (lane.Decision.Fallback == LaneFallback.Reject)
            {
                Reset(context);
                lane.Outcome = LaneOutcome.Rejected;
                metrics.RecordRetry(route, cluster, lane.Snapshot.TagDecisions.ContainsKey(laneName) ? laneName : MetricValues.Other, "rejected");
                await LaneErrorResponse.WriteAsync(context, "lane_unavailable", laneName, route, "the lane's destination refused the connection");
                return;
            }

            var clusterAvailable = proxy.Route.Cluster?.DestinationsState.AvailableDestinations ?? [];
            candidates = Without(LaneDestinations.For(clusterAvailable, lane.Snapshot.DestinationTagKey).Baseline, failed);
            lane.Outcome = LaneOutcome.Escaped;
        }

        if (candidates.Count == 0)
        {
            return;
        }

        Reset(context);
        proxy.AvailableDestinations = candidates;
        Log.Retrying(logger, route, failed?.DestinationId ?? MetricValues.None, laneName);
        metrics.RecordRetry(route, cluster, lane.Snapshot.TagDecisions.ContainsKey(laneName) || laneName == LaneNames.Baseline ? laneName : MetricValues.Other, "retried");
        await next(context);
        failures.Record(context);
    }

    /// <summary>A connection error before any byte was sent, on a bodiless request whose response has not started.</summary>
    private static bool ShouldRetry(HttpContext context)
    {
        if (context.Features.Get<IForwarderErrorFeature>() is not { Error: ForwarderError.Request, Exception: { } exception } || context.Response.HasStarted)
        {
            return false;
        }

        if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
        {
            return false;
        }

        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError })
            {
                return true;
            }
        }

        return false;
    }

    private static void Reset(HttpContext context)
    {
        context.Features.Set<IForwarderErrorFeature>(null);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.Headers.Clear();
    }

    private static IReadOnlyList<DestinationState> Without(IReadOnlyList<DestinationState> destinations, DestinationState? failed)
    {
        if (failed is null)
        {
            return destinations;
        }

        var kept = new List<DestinationState>(destinations.Count);
        foreach (var destination in destinations)
        {
            if (!ReferenceEquals(destination, failed))
            {
                kept.Add(destination);
            }
        }

        return kept;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2010, Level = LogLevel.Debug, Message = "Route {RouteId}: destination {DestinationId} refused the connection; retrying lane {LaneTag} once")]
        public static partial void Retrying(ILogger logger, string routeId, string destinationId, string laneTag);
    }
}
