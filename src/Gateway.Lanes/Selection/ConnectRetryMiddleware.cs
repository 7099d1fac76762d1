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
/// The forwarding attempts. A destination that refuses the connection (nothing of the request has left the
/// gateway) is not the user's problem: the request is sent once more, to another usable destination of its lane,
/// else per the lane's <c>Fallback</c> (the baseline, keeping the tag, or 503). This covers the gap until health
/// checks notice a dead instance. Anything that failed after the connection was made is never retried, and neither
/// is a request with a body (it may be streaming from the client). Every attempt is recorded in the
/// <see cref="UpstreamFailureLog"/>, and a failure the gateway answers itself gets its JSON body
/// (<see cref="UpstreamErrorResponse"/>) once the last attempt is over.
/// The middleware itself does not await the forwarder: it leaves the lane's candidates and its follow-up on the
/// request's <see cref="ILaneFeature"/>, and the lane telemetry middleware, which awaits the pipeline anyway, runs
/// the follow-up when the first attempt is over; after a success it awaits nothing.
/// </summary>
internal sealed partial class ConnectRetryMiddleware
{
    private readonly RequestDelegate _next;
    private readonly LaneMetrics _metrics;
    private readonly UpstreamFailureLog _failures;
    private readonly ILogger<ConnectRetryMiddleware> _logger;
    private readonly Func<HttpContext, Task> _afterForwarding;

    public ConnectRetryMiddleware(RequestDelegate next, LaneMetrics metrics, UpstreamFailureLog failures, ILogger<ConnectRetryMiddleware> logger)
    {
        _next = next;
        _metrics = metrics;
        _failures = failures;
        _logger = logger;
        _afterForwarding = AfterForwarding;
    }

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<ILaneFeature>() is { } lane)
        {
            // The load balancer narrows the list to its pick, so keep the lane's candidates from before the attempt.
            lane.Candidates = context.GetReverseProxyFeature().AvailableDestinations;
            lane.AfterForwarding = _afterForwarding;
        }

        return _next(context);
    }

    private Task AfterForwarding(HttpContext context)
    {
        _failures.Record(context);
        return context.Features.Get<IForwarderErrorFeature>() is null ? Task.CompletedTask : AfterFailureAsync(context);
    }

    private async Task AfterFailureAsync(HttpContext context)
    {
        if (ShouldRetry(context) && context.Features.Get<ILaneFeature>() is { } lane)
        {
            await RetryAsync(context, lane, lane.Candidates ?? []);
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
                _metrics.RecordRetry(route, cluster, lane.Snapshot.TagDecisions.ContainsKey(laneName) ? laneName : MetricValues.Other, "rejected");
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
        Log.Retrying(_logger, route, failed?.DestinationId ?? MetricValues.None, laneName);
        _metrics.RecordRetry(route, cluster, lane.Snapshot.TagDecisions.ContainsKey(laneName) || laneName == LaneNames.Baseline ? laneName : MetricValues.Other, "retried");
        await _next(context);
        _failures.Record(context);
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
