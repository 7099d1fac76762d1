using Gateway.Lanes.Selection;
using Gateway.Routing.Tagging;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Host.Config;

/// <summary>
/// YARP's own checks of routes and clusters (path patterns, transforms, load-balancing, health and other policies).
/// The config reader runs them on every route and cluster it reads anew, so <c>validate</c>, start and reload refuse
/// what YARP would. YARP itself would run them again on all routes whenever it applies a config, but its only config
/// comes from the reader (<see cref="Reload.LiveProxyConfigProvider"/>), so the gateway's YARP is given
/// <see cref="Checked"/>: re-checking 10,000 unchanged routes after a one-route edit would be wasted work.
/// </summary>
internal static class ProxyConfigValidator
{
    private static readonly Lazy<IConfigValidator> StandaloneValidator = new(CreateStandalone);

    /// <summary>
    /// YARP's checks with the same policies and transforms the gateway registers (<see cref="AddProxyServices"/>),
    /// built once for the process: the gateway's own YARP no longer holds a validator that checks.
    /// </summary>
    public static IConfigValidator Standalone => StandaloneValidator.Value;

    /// <summary>YARP and what the gateway plugs into it, with YARP's own checks; the gateway then registers <see cref="Checked"/>.</summary>
    public static IReverseProxyBuilder AddProxyServices(IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);

        // YARP's affinity policies ask for data protection; affinity is refused, so keys never need to be stored
        // (the default provider would make a key directory under $HOME, even for the standalone checks).
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.AddLaneSelection();
        return services.AddReverseProxy().AddLaneTagging();
    }

    /// <summary>Makes the gateway's YARP accept what it is given, which the config reader has already checked.</summary>
    public static IReverseProxyBuilder TrustTheReader(this IReverseProxyBuilder proxy)
    {
        proxy.Services.Replace(ServiceDescriptor.Singleton<IConfigValidator, Checked>());
        return proxy;
    }

    private static IConfigValidator CreateStandalone()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        AddProxyServices(services);
        return services.BuildServiceProvider().GetRequiredService<IConfigValidator>();
    }

    private sealed class Checked : IConfigValidator
    {
        public ValueTask<IList<Exception>> ValidateRouteAsync(RouteConfig route) => new([]);

        public ValueTask<IList<Exception>> ValidateClusterAsync(ClusterConfig cluster) => new([]);
    }
}
