using System.Runtime.InteropServices;

namespace Gateway.Host.Lifecycle;

/// <summary>
/// SIGHUP leaves the gateway running. Its default action ends the process at once, dropping every request in flight;
/// operators send it to reload a proxy's config (nginx, HAProxy and Prometheus reload on it, and it is what systemd's
/// usual <c>ExecReload</c> sends), and a closing terminal sends it too. The gateway reloads its config file by itself
/// whenever it changes, so there is nothing more to do than to say so.
/// </summary>
internal sealed partial class HangupSignal(ILogger<HangupSignal> logger) : IHostedService, IDisposable
{
    private PosixSignalRegistration? _registration;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registration = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            Log.HangupIgnored(logger);
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _registration?.Dispose();

    private static partial class Log
    {
        [LoggerMessage(EventId = 3012, Level = LogLevel.Information,
            Message = "SIGHUP received: the gateway keeps running; its config file is reloaded whenever it changes, and SIGTERM stops it")]
        public static partial void HangupIgnored(ILogger logger);
    }
}
