using Microsoft.AspNetCore.Builder;

namespace Gateway.Lanes.Diagnostics;

public static class LaneTelemetryExtensions
{
    /// <summary>Adds lane metrics, escape accounting and the access log; put it first in the proxy pipeline.</summary>
    public static IApplicationBuilder UseLaneTelemetry(this IApplicationBuilder pipeline) => pipeline.UseMiddleware<LaneTelemetryMiddleware>();
}
