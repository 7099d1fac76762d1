using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Gateway.Lanes.Upstream;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace Gateway.Lanes.Health;

/// <summary>
/// Passive health policy <c>ServerErrors</c>: a destination that answers 5xx (or fails to answer) on
/// <c>ServerErrorsHealthPolicy.Threshold</c> consecutive requests (cluster metadata, default 3) is unhealthy for the
/// passive <c>ReactivationPeriod</c>. YARP's built-in passive policy counts transport failures only, so an instance
/// that answers 500s would keep its lane's traffic. Only failures that are the destination's fault count: a client
/// that cancels its request or fails to send its body neither counts as a failure nor as a success, or anonymous
/// clients could take any destination out by hanging up.
/// </summary>
internal sealed class ServerErrorsHealthPolicy(IDestinationHealthUpdater healthUpdater) : IPassiveHealthCheckPolicy
{
    public const string PolicyName = "ServerErrors";
    public const string ThresholdKey = "ServerErrorsHealthPolicy.Threshold";
    private const int DefaultThreshold = 3;

    private static readonly TimeSpan DefaultReactivation = TimeSpan.FromSeconds(60);

    // Weak keys: the count of a destination removed from the config goes with it, as in YARP's own policies.
    private readonly ConditionalWeakTable<DestinationState, Failures> _failures = new();

    public string Name => PolicyName;

    /// <summary>Destinations with a failure count (for tests: removed destinations are forgotten).</summary>
    internal int Tracked => _failures.Count();

    public void RequestProxied(HttpContext context, ClusterState cluster, DestinationState destination)
    {
        var outcome = Judge(context);
        if (outcome == Outcome.NotTheDestinations)
        {
            return;
        }

        if (outcome == Outcome.Succeeded)
        {
            if (_failures.TryGetValue(destination, out var known))
            {
                Volatile.Write(ref known.Consecutive, 0);
            }

            return;
        }

        var failures = _failures.GetOrCreateValue(destination);
        if (Interlocked.Increment(ref failures.Consecutive) >= Threshold(cluster))
        {
            Volatile.Write(ref failures.Consecutive, 0);
            var reactivation = cluster.Model.Config.HealthCheck?.Passive?.ReactivationPeriod ?? DefaultReactivation;
            healthUpdater.SetPassive(cluster, destination, DestinationHealth.Unhealthy, reactivation);
        }
    }

    private static Outcome Judge(HttpContext context)
    {
        if (context.Features.Get<IForwarderErrorFeature>() is not { } error)
        {
            return context.Response.StatusCode >= StatusCodes.Status500InternalServerError ? Outcome.Failed : Outcome.Succeeded;
        }

        return DestinationFault.Is(context, error.Error) ? Outcome.Failed : Outcome.NotTheDestinations;
    }

    private static int Threshold(ClusterState cluster) =>
        cluster.Model.Config.Metadata is { } metadata && metadata.TryGetValue(ThresholdKey, out var text)
        && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var threshold) && threshold > 0
            ? threshold
            : DefaultThreshold;

    private enum Outcome
    {
        Succeeded,
        Failed,
        NotTheDestinations,
    }

    private sealed class Failures
    {
        public int Consecutive;
    }
}
