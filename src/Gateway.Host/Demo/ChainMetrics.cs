using System.Diagnostics.Metrics;
using Gateway.Host.Diagnostics;
using Lanes.Propagation;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Gateway.Host.Demo;

/// <summary>
/// The demo service's <c>GET /metrics</c>: the package's meter in the Prometheus text format, through the same
/// OpenTelemetry exporter the gateway uses. Only this service's meter factory is heard (the embedded demo runs several
/// services in one process).
/// </summary>
internal sealed class ChainMetrics : IDisposable
{
    private readonly MeterProvider _provider;
    private readonly PrometheusExporter _exporter = new();
    private readonly Lock _scrapeLock = new();

    public ChainMetrics(IMeterFactory meterFactory)
    {
        _provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(LanesMetricsNames.MeterName)
            .AddView(instrument => instrument.Meter.Scope == meterFactory ? null : MetricStreamConfiguration.Drop)
            .AddReader(new BaseExportingMetricReader(_exporter))
            .Build();
    }

    public string Scrape()
    {
        lock (_scrapeLock)
        {
            return _exporter.Scrape();
        }
    }

    public void Dispose() => _provider.Dispose();
}
