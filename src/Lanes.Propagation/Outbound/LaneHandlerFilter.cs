using Microsoft.Extensions.Http;
using Microsoft.Extensions.ServiceDiscovery;

namespace Lanes.Propagation;

/// <summary>
/// Places the package's handlers in every <see cref="IHttpClientFactory"/> client once all its own configuration has
/// run, innermost, on each attempt: the lane is stamped after every handler the service adds, so that none can put a
/// caller's lane back (ASP.NET Core's header propagation adds the caller's headers inside the handlers placed before
/// it); the instance is chosen on each attempt, so that a retry or hedging handler (Microsoft.Extensions.Http.Resilience)
/// sends a retry to another of the lane's instances instead of the one that just failed. A ServiceDiscovery handler
/// added by other code stays after them and sees the chosen instance's address.
/// </summary>
internal sealed class LaneHandlerFilter(ServiceEndpointResolver resolver, LaneSettings settings, LanesMetrics metrics, LaneTargets targets)
    : IHttpMessageHandlerBuilderFilter
{
    /// <summary>ServiceDiscovery's own per-client handler (<c>AddServiceDiscovery()</c> on a client); internal to its package.</summary>
    private const string ServiceDiscoveryHandler = "Microsoft.Extensions.ServiceDiscovery.Http.ResolvingHttpDelegatingHandler";

    public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next) => builder =>
    {
        next(builder);
        var handlers = builder.AdditionalHandlers;
        var routing = handlers.Count;
        for (var i = 0; i < handlers.Count; i++)
        {
            if (handlers[i].GetType().FullName == ServiceDiscoveryHandler)
            {
                routing = i;
                break;
            }
        }

        handlers.Insert(routing, new LaneRoutingHandler(resolver, settings, metrics, targets));
        handlers.Insert(routing, new LanePropagationHandler(settings));
    };
}
