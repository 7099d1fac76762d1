using System.Diagnostics;
using System.Diagnostics.Metrics;
using Gateway.Host.Hosting;

namespace Gateway.Host.Diagnostics;

/// <summary>
/// Host metrics: config reloads by result, whether the last reload succeeded, how long applying a changed config
/// took, the work shed to stay within the open-file limit, and when the process started.
/// </summary>
internal sealed class HostMetrics
{
    public const string MeterName = "Gateway.Host";

    private static readonly KeyValuePair<string, object?> Success = new("result", "success");
    private static readonly KeyValuePair<string, object?> Failure = new("result", "failure");
    private static readonly KeyValuePair<string, object?> Connection = new("kind", "connection");
    private static readonly KeyValuePair<string, object?> Request = new("kind", "request");
    private static readonly KeyValuePair<string, object?> ClientRequest = new("kind", "client_request");
    private static readonly KeyValuePair<string, object?> ClientConnection = new("kind", "client_connection");

    private readonly OpenFileBudget? _budget;

    private readonly Histogram<double> _reloadDuration;
    private long _successes;
    private long _failures;
    private volatile int _lastReloadSuccessful = 1;

    /// <param name="budget">The open-file budget whose rejections are observed; without one (a host that keeps none) every series stays 0.</param>
    public HostMetrics(IMeterFactory meterFactory, OpenFileBudget? budget = null)
    {
        _budget = budget;
        var meter = meterFactory.Create(MeterName);

        // Observed at collection, not added: both series exist from the first scrape (so the first failure is an
        // increase an alert can see) however early this is built; a counter's Add(0) made before the metrics
        // pipeline listens is lost.
        meter.CreateObservableCounter("gateway.config.reloads", ObserveReloads, "{reload}", "Config reloads by result (success, failure).");
        meter.CreateObservableGauge("gateway.config.last_reload_successful", () => _lastReloadSuccessful, unit: null,
            "1 when the last config reload was applied (or none was tried yet), 0 while the last one failed and the previous config serves.");

        _reloadDuration = meter.CreateHistogram("gateway.config.reload.duration", "s",
            "Time from reading a changed config file to its routes and lanes serving (validation, compilation and YARP's apply).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

        // Prometheus clients' usual process_start_time_seconds: the alerts tell by it a series that is new because its
        // process is, from one that is only missing from a scrape gap.
        using var process = Process.GetCurrentProcess();
        var started = (process.StartTime.ToUniversalTime() - DateTime.UnixEpoch).TotalSeconds;
        meter.CreateObservableGauge("process.start_time", () => started, "s", "When this gateway process started, in seconds since the Unix epoch.");

        // Observed for the same reason as the reloads: the first rejection must be an increase from a 0 already scraped.
        meter.CreateObservableCounter("gateway.overload.rejections", ObserveRejections, "{rejection}",
            "Work shed to stay within the open-file limit, by kind: connection (closed at once), request (answered 503 gateway_overloaded), client_request (its client held its share: answered 503 client_overloaded), client_connection (its client address held its share: closed at once).");
    }

    public void RecordReload(bool success)
    {
        Interlocked.Increment(ref success ? ref _successes : ref _failures);
        _lastReloadSuccessful = success ? 1 : 0;
    }

    public void RecordReloadDuration(TimeSpan duration) => _reloadDuration.Record(duration.TotalSeconds);

    private Measurement<long>[] ObserveReloads() =>
        [new(Interlocked.Read(ref _successes), Success), new(Interlocked.Read(ref _failures), Failure)];

    private Measurement<long>[] ObserveRejections() =>
    [
        new(_budget?.ConnectionsRejected ?? 0, Connection),
        new(_budget?.RequestsRejected ?? 0, Request),
        new(_budget?.ClientRequestsRejected ?? 0, ClientRequest),
        new(_budget?.ClientConnectionsRejected ?? 0, ClientConnection),
    ];
}
