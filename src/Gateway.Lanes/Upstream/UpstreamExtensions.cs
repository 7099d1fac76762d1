using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Lanes.Upstream;

public static class UpstreamExtensions
{
    /// <summary>The gateway's default activity timeout for clusters that set none.</summary>
    public static IReverseProxyBuilder AddDefaultActivityTimeout(this IReverseProxyBuilder proxy) => proxy.AddConfigFilter<DefaultActivityTimeoutFilter>();

    /// <summary>Forwards request headers as UTF-8, as Kestrel accepted them, unless a cluster sets its own encoding.</summary>
    public static IReverseProxyBuilder AddUtf8RequestHeaders(this IReverseProxyBuilder proxy)
    {
        proxy.Services.Replace(ServiceDescriptor.Singleton<IForwarderHttpClientFactory, UpstreamHttpClientFactory>());
        return proxy;
    }
}
