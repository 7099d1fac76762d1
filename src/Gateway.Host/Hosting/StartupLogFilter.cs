using Serilog.Events;

namespace Gateway.Host.Hosting;

/// <summary>
/// Keeps the generic host's "Hosting failed to start", logged with the whole stack trace before the exception reaches
/// <c>Program</c>, out of the log until the gateway has started: <c>Program</c> prints a listener that cannot start
/// (its address, its TLS certificate) in one line, and any other start-up failure still ends the process with its
/// stack trace. Once started, the host's own events (a background service that faults, errors while stopping) are
/// logged as usual.
/// A filter on the gateway's Serilog logger: it keeps the event off the gateway's output, while other logging
/// providers (the tests') still receive it.
/// </summary>
internal sealed class StartupLogFilter
{
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    private volatile bool _started;

    public bool Allows(LogEvent logEvent) =>
        _started
        || logEvent.Level >= LogEventLevel.Fatal
        || !(logEvent.Properties.TryGetValue("SourceContext", out var source) && source is ScalarValue { Value: HostCategory });

    public void Started() => _started = true;
}
