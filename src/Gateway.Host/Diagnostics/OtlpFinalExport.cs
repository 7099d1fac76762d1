using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Gateway.Host.Diagnostics;

/// <summary>
/// Sends the last metrics and spans to the OTLP collector once the host has stopped, for at most
/// <see cref="Timeout"/>. Left to the providers' disposal, the final export waits out the exporter's own timeout (10 s
/// per export) when the collector hangs or its address is black-holed, which a pod's margin after the drain delay and
/// shutdown timeout does not hold: the kubelet would kill the gateway before it exits.
/// </summary>
internal sealed partial class OtlpFinalExport(IServiceProvider services, ILogger<OtlpFinalExport> logger) : IHostedLifecycleService
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        var milliseconds = (int)Timeout.TotalMilliseconds;
        var meters = services.GetService<MeterProvider>();
        var tracer = services.GetService<TracerProvider>();

        // Side by side: each waits for its own export. A provider shut down here is not shut down again on disposal.
        var exported = await Task.WhenAll(
            Task.Run(() => meters?.Shutdown(milliseconds) ?? true, CancellationToken.None),
            Task.Run(() => tracer?.Shutdown(milliseconds) ?? true, CancellationToken.None));
        if (!exported[0] || !exported[1])
        {
            Log.FinalExportIncomplete(logger, Timeout.TotalSeconds);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(EventId = 3011, Level = LogLevel.Warning,
            Message = "The OTLP collector did not take the last metrics and spans within {TimeoutSeconds} s; exiting without them")]
        public static partial void FinalExportIncomplete(ILogger logger, double timeoutSeconds);
    }
}
