using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace Gateway.Lanes.Health;

/// <summary>
/// Passive health policy <c>ServerErrors</c>: a destination that answers 5xx (or fails to answer) on
/// <c>ServerErrorsHealthPolicy.Threshold</c> consecutive requests (cluster metadata, default 3) is unhealthy for the
/// passive <c>ReactivationPeriod</c>. YARP's built-in passive policy counts transport failures only, so an instance
/// that answers 500s would keep its lane's traffic.
/// </summary>
internal sealed class ServerErrorsHealthPolicy(IDestinationHealthUpdater healthUpdater) : IPassiveHealthCheckPolicy
{
    public const string PolicyName = "ServerErrors";
    public const string ThresholdKey = "ServerErrorsHealthPolicy.Threshold";
    private const int DefaultThreshold = 3;

    private static readonly TimeSpan DefaultReactivation = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<DestinationState, int> _consecutive = new();

    public string Name => PolicyName;

    public void RequestProxied(HttpContext context, ClusterState cluster, DestinationState destination)
    {
        var failed = context.Response.StatusCode >= StatusCodes.Status500InternalServerError
            || context.Features.Get<Yarp.ReverseProxy.Forwarder.IForwarderErrorFeature>() is not null;
        if (!failed)
        {
            _consecutive.TryRemove(destination, out _);
            return;
        }

        var count = _consecutive.AddOrUpdate(destination, 1, (_, n) => n + 1);
        if (count >= Threshold(cluster))
        {
            _consecutive.TryRemove(destination, out _);
            var reactivation = cluster.Model.Config.HealthCheck?.Passive?.ReactivationPeriod ?? DefaultReactivation;
            healthUpdater.SetPassive(cluster, destination, DestinationHealth.Unhealthy, reactivation);
        }
    }

    private static int Threshold(ClusterState cluster) =>
        cluster.Model.Config.Metadata is { } metadata && metadata.TryGetValue(ThresholdKey, out var text)
        && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var threshold) && threshold > 0
            ? threshold
            : DefaultThreshold;
}
