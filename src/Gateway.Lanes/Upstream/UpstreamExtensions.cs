using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Lanes.Upstream;

public static class UpstreamExtensions
{
    /// <summary>The gateway's default activity timeout for clusters that set none.</summary>
    public static IReverseProxyBuilder AddDefaultActivityTimeout(this IReverseProxyBuilder proxy) => proxy.AddConfigFilter<DefaultActivityTimeoutFilter>();
}
