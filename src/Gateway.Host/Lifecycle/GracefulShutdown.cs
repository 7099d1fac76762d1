namespace Gateway.Host.Lifecycle;

/// <summary>
/// Runs before the web server stops (StoppingAsync comes before every StopAsync): fails readiness and keeps serving
/// for the drain delay. The host's shutdown timeout is drain delay + shutdown timeout, so Kestrel then has the
/// shutdown timeout to let in-flight requests finish after it stops accepting.
/// </summary>
internal sealed partial class GracefulShutdown(GatewayReadiness readiness, LifecycleOptions options, TimeProvider time, ILogger<GracefulShutdown> logger)
    : IHostedLifecycleService
{
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        readiness.Drain();
        Log.Draining(logger, options.DrainDelay.TotalSeconds, options.ShutdownTimeout.TotalSeconds);
        try
        {
            await Task.Delay(options.DrainDelay, time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(EventId = 3010, Level = LogLevel.Information,
            Message = "Shutting down: readiness fails now, serving {DrainSeconds} s more, then {ShutdownSeconds} s for in-flight requests")]
        public static partial void Draining(ILogger logger, double drainSeconds, double shutdownSeconds);
    }
}
