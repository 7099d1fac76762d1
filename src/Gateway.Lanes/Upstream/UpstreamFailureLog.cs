using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Gateway.Lanes.Upstream;

/// <summary>
/// Logs forwarding failures by destination rather than by request: a destination that starts failing is one warning
/// (at most one per <see cref="WarningInterval"/> for a destination that keeps flapping), its recovery one line, and
/// each failed attempt a Debug line. An ordinary network failure (refused, reset, timed out) carries no stack trace.
/// YARP's own per-request forwarder warnings are switched off by the host in favour of these. The connect retry
/// records every attempt here, including the ones it retries elsewhere.
/// </summary>
internal sealed partial class UpstreamFailureLog(TimeProvider time, ILogger<UpstreamFailureLog> logger)
{
    public static readonly TimeSpan WarningInterval = TimeSpan.FromSeconds(30);

    // Weak keys: a destination removed from the config takes its state with it.
    private readonly ConditionalWeakTable<DestinationState, State> _destinations = new();

    // Destinations marked failing: while none is, an answered attempt has nothing to reset and skips the table. A
    // failing destination dropped from the config leaves it above zero, which only brings that lookup back.
    private int _failing;

    /// <summary>Records the outcome of one forwarding attempt.</summary>
    public void Record(HttpContext context)
    {
        var proxy = context.GetReverseProxyFeature();
        if (proxy.ProxiedDestination is not { } destination)
        {
            return;
        }

        var cluster = proxy.Cluster?.Config.ClusterId ?? "";
        if (context.Features.Get<IForwarderErrorFeature>() is not { } error)
        {
            Answered(cluster, destination);
            return;
        }

        var exception = error.Exception;
        var debug = logger.IsEnabled(LogLevel.Debug);
        if (!DestinationFault.Is(context, error.Error))
        {
            if (debug)
            {
                Log.ClientFailure(logger, cluster, destination.DestinationId, error.Error, DestinationFault.Reason(exception));
            }

            return;
        }

        if (debug)
        {
            Log.AttemptFailed(logger, cluster, destination.DestinationId, error.Error, DestinationFault.Reason(exception));
        }

        var state = _destinations.GetOrCreateValue(destination);
        if (Interlocked.Exchange(ref state.Failing, 1) == 1)
        {
            return;
        }

        Interlocked.Increment(ref _failing);

        var now = time.GetTimestamp();
        state.Warned = state.LastWarning == 0 || time.GetElapsedTime(state.LastWarning, now) >= WarningInterval;
        if (state.Warned)
        {
            state.LastWarning = now;
            Log.DestinationFailing(logger, cluster, destination.DestinationId, error.Error, DestinationFault.Reason(exception),
                DestinationFault.IsExpected(exception) ? null : exception);
        }
    }

    private void Answered(string cluster, DestinationState destination)
    {
        if (Volatile.Read(ref _failing) == 0 || !_destinations.TryGetValue(destination, out var state) || Interlocked.Exchange(ref state.Failing, 0) == 0)
        {
            return;
        }

        Interlocked.Decrement(ref _failing);
        if (state.Warned)
        {
            Log.DestinationAnswering(logger, cluster, destination.DestinationId);
        }
    }

    private sealed class State
    {
        public int Failing;
        public bool Warned;
        public long LastWarning;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2200, Level = LogLevel.Warning, Message = "Cluster {ClusterId}: destination {DestinationId} is failing ({ForwarderError}: {Reason}); further failures are logged at Debug until it answers again")]
        public static partial void DestinationFailing(ILogger logger, string clusterId, string destinationId, ForwarderError forwarderError, string reason, Exception? exception);

        [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "Cluster {ClusterId}: destination {DestinationId} is answering again")]
        public static partial void DestinationAnswering(ILogger logger, string clusterId, string destinationId);

        [LoggerMessage(EventId = 2202, Level = LogLevel.Debug, Message = "Cluster {ClusterId}: forwarding to destination {DestinationId} failed ({ForwarderError}: {Reason})")]
        public static partial void AttemptFailed(ILogger logger, string clusterId, string destinationId, ForwarderError forwarderError, string reason);

        [LoggerMessage(EventId = 2203, Level = LogLevel.Debug, Message = "Cluster {ClusterId}: request to destination {DestinationId} ended by the client ({ForwarderError}: {Reason})")]
        public static partial void ClientFailure(ILogger logger, string clusterId, string destinationId, ForwarderError forwarderError, string reason);
    }
}
