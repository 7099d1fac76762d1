using System.Text;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Gateway.Host.Diagnostics;

/// <summary>
/// A pull exporter: each scrape makes the SDK collect (cumulative values) and this exporter turns the batch into
/// Prometheus text. No Prometheus exporter package is available here, and this is all one needs.
/// </summary>
[ExportModes(ExportModes.Pull)]
internal sealed class PrometheusExporter : BaseExporter<Metric>, IPullMetricExporter
{
    private readonly StringBuilder _text = new();

    /// <summary>Set by the reader this exporter is given to; calling it makes the SDK collect into <see cref="Export"/>.</summary>
    public Func<int, bool>? Collect { get; set; }

    public override ExportResult Export(in Batch<Metric> batch)
    {
        _text.Clear();

        // A family's samples must stand together under one HELP and TYPE, even if the SDK reports a name twice.
        var families = new Dictionary<string, List<Metric>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var metric in batch)
        {
            var name = PrometheusTextWriter.Name(metric.Name, metric.Unit);
            if (!families.TryGetValue(name, out var family))
            {
                families[name] = family = [];
                order.Add(name);
            }

            family.Add(metric);
        }

        foreach (var name in order)
        {
            PrometheusTextWriter.Write(_text, families[name]);
        }

        return ExportResult.Success;
    }

    /// <summary>Collects and returns the text; callers serialise access.</summary>
    public string Scrape()
    {
        _text.Clear();
        return Collect?.Invoke(Timeout.Infinite) == true ? _text.ToString() : "";
    }
}
