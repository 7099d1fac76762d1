using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Gateway.Host.Diagnostics;

/// <summary>Host metrics: config reloads by result, and how long applying a changed config took.</summary>
internal sealed class HostMetrics
{
    public const string MeterName = "Gateway.Host";

    private readonly Counter<long> _reloads;
    private readonly Histogram<double> _reloadDuration;

    public HostMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _reloads = meter.CreateCounter<long>("gateway.config.reloads", "{reload}", "Config reloads by result (success, failure).");

        _reloadDuration = meter.CreateHistogram("gateway.config.reload.duration", "s",
            "Time from reading a changed config file to its routes and lanes serving (validation, compilation and YARP's apply).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

        // Both series exist from the start, so the first failure is an increase an alert can see.
        _reloads.Add(0, new TagList { { "result", "success" } });
        _reloads.Add(0, new TagList { { "result", "failure" } });
    }

    public void RecordReload(bool success) => _reloads.Add(1, new TagList { { "result", success ? "success" : "failure" } });

    public void RecordReloadDuration(TimeSpan duration) => _reloadDuration.Record(duration.TotalSeconds);
}
