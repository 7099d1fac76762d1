using System.Net.Http;
using System.Net.Sockets;
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
/// gateway) is not the user's problem: the request is sent once more, to another usable destination of its lane;
/// when that one refuses too, or the lane has no other, the lane counts as unusable and the request goes per its
/// <c>Fallback</c> (the baseline, keeping the tag, as an escape; or 503), as lane selection would have sent it had
/// it known. This covers the gap until health checks notice dead instances. Anything that failed after the
/// connection was made is never retried, and neither is a request with a body (it may be streaming from the client).
/// Every attempt is recorded in the <see cref="UpstreamFailureLog"/>, and a failure the gateway answers itself gets
/// its JSON body (<see cref="UpstreamErrorResponse"/>) once the last attempt is over.
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
            await RetryAsync(context, lane);
        }

        await UpstreamErrorResponse.WriteIfFailedAsync(context);
    }

    /// <summary>
    /// At most two more attempts: one to another candidate, then, for a request served in its lane, one per the
    /// lane's <c>Fallback</c>. A lane of many dead instances thus costs three refused connections at most, never one
    /// per instance; a refused connection is quick, and anything slower (a timeout) is never retried.
    /// </summary>
    private async Task RetryAsync(HttpContext context, ILaneFeature lane)
    {
        var candidates = Without(lane.Candidates ?? [], context.GetReverseProxyFeature().ProxiedDestination);
        if (candidates.Count > 0)
        {
            await ResendAsync(context, lane, candidates);
            if (!ShouldRetry(context))
            {
                return;
            }
        }

        // Only a request served in its lane has a fallback left; one already on the baseline has nowhere else to go.
        if (lane.Outcome == LaneOutcome.Lane && lane.Decision.Tag is not null)
        {
            await FallBackAsync(context, lane);
        }
    }

    /// <summary>No destination of the lane took the connection: the baseline (an escape, tag kept), or 503.</summary>
    private async Task FallBackAsync(HttpContext context, ILaneFeature lane)
    {
        var proxy = context.GetReverseProxyFeature();
        var route = proxy.Route.Config.RouteId;
        var laneName = lane.Decision.Tag!;
        if (lane.Decision.Fallback == LaneFallback.Reject)
        {
            Answer(context, lane, LaneOutcome.Rejected);
            _metrics.RecordRetry(route, ClusterOf(proxy), MetricValues.Lane(lane.Decision.Tag, lane.Snapshot, proxy), "rejected");
            await LaneErrorResponse.WriteAsync(context, "lane_unavailable", laneName, route, "the lane's destinations refused the connection");
            return;
        }

        var clusterAvailable = proxy.Route.Cluster?.DestinationsState.AvailableDestinations ?? [];
        var baseline = LaneDestinations.For(clusterAvailable, lane.Snapshot.DestinationTagKey).Baseline;
        if (baseline.Count == 0)
        {
            Answer(context, lane, LaneOutcome.NoBaseline);
            await LaneErrorResponse.WriteAsync(context, "baseline_unavailable", laneName, route, "the lane's destinations refused the connection and the cluster has no usable baseline destination");
            return;
        }

        lane.Outcome = LaneOutcome.Escaped;
        await ResendAsync(context, lane, baseline);
    }

    private async Task ResendAsync(HttpContext context, ILaneFeature lane, IReadOnlyList<DestinationState> candidates)
    {
        var proxy = context.GetReverseProxyFeature();
        var route = proxy.Route.Config.RouteId;
        var laneName = lane.Decision.Tag ?? LaneNames.Baseline;
        Log.Retrying(_logger, route, proxy.ProxiedDestination?.DestinationId ?? MetricValues.None, laneName,
            lane.Outcome == LaneOutcome.Lane ? laneName : LaneNames.Baseline);
        _metrics.RecordRetry(route, ClusterOf(proxy), MetricValues.Lane(lane.Decision.Tag, lane.Snapshot, proxy), "retried");
        Reset(context);
        proxy.AvailableDestinations = candidates;
        await _next(context);
        _failures.Record(context);
    }

    /// <summary>The gateway answers itself: no destination served the request (metrics and the access log say <c>none</c>).</summary>
    private static void Answer(HttpContext context, ILaneFeature lane, LaneOutcome outcome)
    {
        Reset(context);
        context.GetReverseProxyFeature().ProxiedDestination = null;
        lane.Outcome = outcome;
    }

    private static string ClusterOf(IReverseProxyFeature proxy) => proxy.Cluster?.Config.ClusterId ?? MetricValues.None;

    /// <summary>
    /// A connection error before any byte was sent, on a bodiless request whose response has not started; not a
    /// connection that timed out (a black-holed address), which would cost each attempt the whole wait again.
    /// </summary>
    internal static bool ShouldRetry(HttpContext context)
    {
        if (context.Features.Get<IForwarderErrorFeature>() is not { Error: ForwarderError.Request, Exception: { } exception } || context.Response.HasStarted)
        {
            return false;
        }

        if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
        {
            return false;
        }

        var connectionError = false;
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is TimeoutException or SocketException { SocketErrorCode: SocketError.TimedOut })
            {
                return false;
            }

            connectionError |= e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError };
        }

        return connectionError;
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
        [LoggerMessage(EventId = 2010, Level = LogLevel.Debug, Message = "Route {RouteId}: destination {DestinationId} refused the connection; resending the request of lane {LaneTag} to lane {ServedLane}")]
        public static partial void Retrying(ILogger logger, string routeId, string destinationId, string laneTag, string servedLane);
    }
}
