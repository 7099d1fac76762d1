using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Lanes.Selection;

public static class LaneSelectionExtensions
{
    /// <summary>Adds lane destination selection to the proxy pipeline; it must follow <c>UseLaneTagging</c>.</summary>
    public static IApplicationBuilder UseLaneSelection(this IApplicationBuilder pipeline) => pipeline.UseMiddleware<LaneSelectionMiddleware>();

    /// <summary>
    /// Adds the once-only retry of refused connections (with the failure log and JSON error bodies); put it after lane
    /// selection, before load balancing. <c>UseLaneTelemetry</c>, first in the pipeline, runs its work after each attempt.
    /// </summary>
    public static IApplicationBuilder UseConnectRetry(this IApplicationBuilder pipeline) => pipeline.UseMiddleware<ConnectRetryMiddleware>();

    /// <summary>Registers what lane selection needs: warm-up tracking, the failure log and the ServerErrors passive health policy.</summary>
    public static IServiceCollection AddLaneSelection(this IServiceCollection services)
    {
        services.AddSingleton<DestinationWarmup>();
        services.AddSingleton<Upstream.UpstreamFailureLog>();
        services.AddSingleton<Yarp.ReverseProxy.Health.IPassiveHealthCheckPolicy, Health.ServerErrorsHealthPolicy>();
        return services;
    }
}
