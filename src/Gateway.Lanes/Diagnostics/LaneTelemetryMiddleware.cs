using System.Diagnostics;
using Gateway.Lanes.Selection;
using Gateway.Lanes.Upstream;
using Gateway.Routing;
using Gateway.Routing.Config;
using Gateway.Routing.Tagging;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Gateway.Lanes.Diagnostics;

/// <summary>
/// Wraps the lane pipeline: after each proxied request it runs the forwarding step's follow-up (the connect retry),
/// then counts the request (requested lane, served lane, decision, duration), counts escapes of every kind, writes
/// one access-log line and puts the lane fields on the request's activity. Label values come only from configuration
/// (see <see cref="MetricValues.Lane(string, GatewaySnapshot, IReverseProxyFeature)"/>).
/// </summary>
internal sealed partial class LaneTelemetryMiddleware(
    RequestDelegate next, LaneMetrics metrics, ILoggerFactory loggers, TimeProvider time, IProxyRequestBudget? budget = null)
{
    public const string AccessLogCategory = "Gateway.AccessLog";

    /// <summary>The status recorded for a request whose client went away before its response was complete.</summary>
    public const int ClientClosedRequest = 499;

    private readonly ILogger _accessLog = loggers.CreateLogger(AccessLogCategory);

    public async Task InvokeAsync(HttpContext context)
    {
        // A request past the host's budget (in total, or its client's share) is answered before any lane rule or
        // backend sees it, and is no lane's. The place is taken here, where the pipeline is awaited anyway: a
        // middleware of its own would cost every proxied request an async frame.
        var place = budget?.TryEnter(context) ?? default;
        if (!place.Taken)
        {
            var (error, message) = place.Refusal == ProxyRequestRefusal.ClientOverloaded
                ? ("client_overloaded", "too many requests in flight from this client; retry later")
                : ("gateway_overloaded", "too many requests in flight; retry later");
            await LaneErrorResponse.WriteAsync(context, error, null, context.GetReverseProxyFeature().Route.Config.RouteId, message);
            return;
        }

        var start = time.GetTimestamp();
        try
        {
            await next(context);

            // The forwarding step's follow-up (see ILaneFeature.AfterForwarding), here so that no other lane
            // middleware has to await the forwarder.
            if (context.Features.Get<ILaneFeature>()?.AfterForwarding is { } afterForwarding)
            {
                await afterForwarding(context);
            }
        }
        finally
        {
            budget?.Exit(place);
            Record(context, time.GetElapsedTime(start));
        }
    }

    private void Record(HttpContext context, TimeSpan elapsed)
    {
        if (context.Features.Get<ILaneFeature>() is not { } lane)
        {
            return;
        }

        var proxy = context.GetReverseProxyFeature();
        var snapshot = lane.Snapshot;
        var route = proxy.Route.Config.RouteId;
        var cluster = proxy.Cluster?.Config.ClusterId ?? MetricValues.None;
        var served = proxy.ProxiedDestination;
        var servedLane = served is null ? MetricValues.None : LaneDestinations.LaneOf(served, snapshot.DestinationTagKey) ?? LaneNames.Baseline;
        var laneLabel = MetricValues.Lane(lane.Decision.Tag, snapshot, proxy);
        var decision = MetricValues.Decision(lane.Outcome);
        var status = RecordedStatus(context);

        metrics.RecordRequest(route, cluster, laneLabel, servedLane, decision, MetricValues.StatusClass(status), elapsed.TotalSeconds);
        if (lane.Outcome == LaneOutcome.Escaped)
        {
            metrics.RecordEscape(route, cluster, laneLabel, servedLane, EscapeKind.LaneToBaseline);
        }

        if (lane.Decision.IsBaseline && served is not null && servedLane != LaneNames.Baseline)
        {
            metrics.RecordEscape(route, cluster, laneLabel, servedLane, EscapeKind.BaselineToLane);
        }

        if (UpstreamEscape(context, lane, snapshot) is { } reported)
        {
            metrics.RecordEscape(route, cluster, laneLabel, MetricValues.Lane(reported, snapshot, proxy), EscapeKind.Upstream);
        }

        Activity.Current?.SetTag("lane.tag", laneLabel).SetTag("lane.served", servedLane).SetTag("lane.decision", decision);
        // Escaped as in a URL (the same string when nothing needs escaping): Kestrel decodes %0A and %0D in the path,
        // which written as decoded would let a client end the line and forge one of its own.
        Log.AccessLog(_accessLog, context.Request.Method, context.Request.Path.ToUriComponent(), route, cluster, served?.DestinationId ?? MetricValues.None,
            laneLabel, servedLane, decision, status, elapsed.TotalMilliseconds);
    }

    /// <summary>
    /// The status the request is counted and logged with: the response's, unless forwarding failed. A destination
    /// that failed once its response had started left the client a cut-off response, not the 2xx its status line
    /// said: 502. A client that went away first gets 499 (client closed request, as nginx and ASP.NET Core's own
    /// <c>http.server</c> metrics write it) instead of the 400 or 502 YARP sets for nobody to read, so clients giving
    /// up on a slow lane do not count as its server errors.
    /// </summary>
    private static int RecordedStatus(HttpContext context)
    {
        if (context.Features.Get<IForwarderErrorFeature>() is not { } error)
        {
            return context.Response.StatusCode;
        }

        if (DestinationFault.Is(context, error.Error))
        {
            // Told by the kind of failure, not by whether the response has started: the gateway's own JSON answer to a
            // failure before any response (a 504 timeout, a 502 refusal) starts it too, and must keep its status.
            return error.Error is ForwarderError.ResponseBodyDestination or ForwarderError.UpgradeResponseDestination
                && context.Response.HasStarted
                ? StatusCodes.Status502BadGateway
                : context.Response.StatusCode;
        }

        return context.RequestAborted.IsCancellationRequested ? ClientClosedRequest : context.Response.StatusCode;
    }

    /// <summary>
    /// The lane a backend reports having served the request in, when it differs from the request's lane. Only for
    /// requests the gateway sent to their own lane (or the baseline): after a fallback the baseline answering is expected.
    /// </summary>
    private static string? UpstreamEscape(HttpContext context, ILaneFeature lane, GatewaySnapshot snapshot)
    {
        if (snapshot.ServedLaneHeader is not { } header || lane.Outcome is not (LaneOutcome.Lane or LaneOutcome.Baseline)
            || !context.Response.Headers.TryGetValue(header, out var values) || values.Count == 0 || string.IsNullOrEmpty(values[0]))
        {
            return null;
        }

        var reported = values[0]!;
        var expected = lane.Decision.Tag ?? LaneNames.Baseline;
        return string.Equals(reported, expected, StringComparison.Ordinal) ? null : reported;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2100, Level = LogLevel.Information,
            Message = "{Method} {Path} route {RouteId} cluster {ClusterId} destination {DestinationId} lane {LaneTag} served {ServedLane} {Decision} {StatusCode} {ElapsedMs:0.###} ms")]
        public static partial void AccessLog(ILogger logger, string method, string path, string routeId, string clusterId, string destinationId,
            string laneTag, string servedLane, string decision, int statusCode, double elapsedMs);
    }
}
