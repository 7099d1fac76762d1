using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Gateway.Host.Diagnostics;

/// <summary>Host metrics: config reloads by result.</summary>
internal sealed class HostMetrics
{
    public const string MeterName = "Gateway.Host";

    private readonly Counter<long> _reloads;

    public HostMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _reloads = meter.CreateCounter<long>("gateway.config.reloads", "{reload}", "Config reloads by result (success, failure).");

        // Both series exist from the start, so the first failure is an increase an alert can see.
        _reloads.Add(0, new TagList { { "result", "success" } });
        _reloads.Add(0, new TagList { { "result", "failure" } });
    }

    public void RecordReload(bool success) => _reloads.Add(1, new TagList { { "result", success ? "success" : "failure" } });
}
