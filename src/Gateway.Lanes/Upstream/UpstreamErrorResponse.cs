using Gateway.Lanes.Selection;
using Gateway.Routing.Tagging;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Gateway.Lanes.Upstream;

/// <summary>
/// YARP answers a failed forward with a bare 502, 503 or 504. Clients get the same small JSON body as for the lane
/// errors instead (<c>{"error":"upstream_timeout",...}</c>), so a gateway error is told apart from a backend's.
/// The connect retry calls it once the last attempt is over.
/// </summary>
internal static class UpstreamErrorResponse
{
    /// <summary>Writes the body when forwarding failed with a 502, 503 or 504 and nothing was sent yet; else does nothing.</summary>
    public static Task WriteIfFailedAsync(HttpContext context)
    {
        if (context.Features.Get<IForwarderErrorFeature>() is not { } error || context.Response.HasStarted || context.RequestAborted.IsCancellationRequested
            || context.Response.StatusCode is not (StatusCodes.Status502BadGateway or StatusCodes.Status503ServiceUnavailable or StatusCodes.Status504GatewayTimeout))
        {
            return Task.CompletedTask;
        }

        var (code, message) = Describe(error.Error);
        var route = context.GetReverseProxyFeature().Route.Config.RouteId;
        return LaneErrorResponse.WriteAsync(context, context.Response.StatusCode, code, context.Features.Get<ILaneFeature>()?.Decision.Tag, route, message);
    }

    private static (string Error, string Message) Describe(ForwarderError error) => error switch
    {
        ForwarderError.RequestTimedOut => ("upstream_timeout", "the destination did not answer within the cluster's activity timeout"),
        ForwarderError.Request => ("upstream_unreachable", "the destination could not be reached or closed the connection before answering"),
        ForwarderError.NoAvailableDestinations => ("no_destination", "the cluster has no usable destination"),
        ForwarderError.ResponseHeaders => ("upstream_bad_response", "the destination's response cannot be forwarded"),
        _ => ("upstream_error", "forwarding to the destination failed"),
    };
}
