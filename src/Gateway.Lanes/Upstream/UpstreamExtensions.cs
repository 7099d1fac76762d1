using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Lanes.Upstream;

public static class UpstreamExtensions
{
    /// <summary>JSON bodies for the gateway's own 502, 503 and 504; put it before the connect retry.</summary>
    public static IApplicationBuilder UseUpstreamErrorResponses(this IApplicationBuilder pipeline) => pipeline.UseMiddleware<UpstreamErrorResponseMiddleware>();

    /// <summary>Destination failures logged per destination; put it after load balancing, inside the connect retry.</summary>
    public static IApplicationBuilder UseUpstreamFailureLog(this IApplicationBuilder pipeline) => pipeline.UseMiddleware<UpstreamFailureLogMiddleware>();

    /// <summary>The gateway's default activity timeout for clusters that set none.</summary>
    public static IReverseProxyBuilder AddDefaultActivityTimeout(this IReverseProxyBuilder proxy) => proxy.AddConfigFilter<DefaultActivityTimeoutFilter>();
}
