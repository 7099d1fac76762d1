using Lanes.Propagation;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.ServiceDiscovery;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds lane propagation to a service.</summary>
public static class LanesServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="LanesOptions"/> from the <c>Lanes</c> section (checked at start), adds ServiceDiscovery
    /// (configuration and pass-through providers) unless already added, and makes every <see cref="IHttpClientFactory"/>
    /// client carry the lane and call the lane's instances. Pair with <c>app.UseLanes()</c>. Wraps
    /// <see cref="System.Diagnostics.DistributedContextPropagator.Current"/> so that what .NET writes from the activity on
    /// a call says the call's lane: set a propagator of your own before this, not after.
    /// </summary>
    public static IServiceCollection AddLanes(this IServiceCollection services, Action<LanesOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<LanesOptions>()
            .BindConfiguration(LanesOptions.SectionName, binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Options.IValidateOptions<LanesOptions>, LanesOptionsValidator>());
        if (!services.Any(d => d.ServiceType == typeof(ServiceEndpointResolver)))
        {
            services.AddServiceDiscovery();
        }

        services.AddMetrics();
        services.TryAddSingleton<LaneSettings>();
        services.TryAddSingleton<LanesMetrics>();
        services.TryAddSingleton<LaneTargets>();

        LaneCallPropagator.Install();
        services.AddHttpClient();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHttpMessageHandlerBuilderFilter, LaneHandlerFilter>());
        return services;
    }
}
