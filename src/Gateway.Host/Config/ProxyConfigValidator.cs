using System.Runtime.CompilerServices;
using Gateway.Lanes.Selection;
using Gateway.Routing.Tagging;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Host.Config;

/// <summary>
/// YARP's own checks of routes and clusters (path patterns, transforms, load-balancing, health and other policies),
/// remembering every object that passed. The config reader asks it about each route and cluster it reads, and YARP
/// asks it again about all of them whenever it applies a config; since unchanged routes reach YARP as the same
/// objects, re-checking 10,000 of them after a one-route edit is 10,000 table lookups. Objects that passed are held
/// weakly, so they are forgotten with the config that held them. Checks depend only on the object and on the services
/// registered at start, so a remembered pass stays true.
/// </summary>
internal sealed class ProxyConfigValidator(IConfigValidator inner) : IConfigValidator
{
    private static readonly object Passed = new();

    private static readonly Lazy<ProxyConfigValidator> StandaloneValidator = new(CreateStandalone);

    private readonly ConditionalWeakTable<object, object> _passed = [];

    /// <summary>
    /// A validator for use before the gateway's services exist (start, <c>validate</c>, <c>explain</c>): YARP with the
    /// same policies and transforms the gateway registers (<see cref="AddProxyServices"/>), and nothing else.
    /// </summary>
    public static ProxyConfigValidator Standalone => StandaloneValidator.Value;

    /// <summary>YARP and what the gateway plugs into it; the gateway and the standalone validator both register exactly this.</summary>
    public static IReverseProxyBuilder AddProxyServices(IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddLaneSelection();
        var proxy = services.AddReverseProxy().AddLaneTagging();

        // YARP registered its validator; the gateway's remembers what passed.
        var registered = services.Last(service => service.ServiceType == typeof(IConfigValidator));
        services.Remove(registered);
        services.AddSingleton<IConfigValidator>(provider => new ProxyConfigValidator(Create(provider, registered)));
        return proxy;
    }

    public async ValueTask<IList<Exception>> ValidateRouteAsync(RouteConfig route) => _passed.TryGetValue(route, out _) ? [] : Remember(route, await inner.ValidateRouteAsync(route));

    public async ValueTask<IList<Exception>> ValidateClusterAsync(ClusterConfig cluster) => _passed.TryGetValue(cluster, out _) ? [] : Remember(cluster, await inner.ValidateClusterAsync(cluster));

    private IList<Exception> Remember(object config, IList<Exception> errors)
    {
        if (errors.Count == 0)
        {
            _passed.TryAdd(config, Passed);
        }

        return errors;
    }

    private static IConfigValidator Create(IServiceProvider provider, ServiceDescriptor registered) => registered switch
    {
        { ImplementationInstance: IConfigValidator instance } => instance,
        { ImplementationFactory: { } factory } => (IConfigValidator)factory(provider),
        _ => (IConfigValidator)ActivatorUtilities.CreateInstance(provider, registered.ImplementationType!),
    };

    private static ProxyConfigValidator CreateStandalone()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        AddProxyServices(services);

        // Built once and kept for the process; the gateway's own services check its reloads.
        var provider = services.BuildServiceProvider();
        return (ProxyConfigValidator)provider.GetRequiredService<IConfigValidator>();
    }
}
