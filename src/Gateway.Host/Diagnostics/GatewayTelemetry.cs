using System.Diagnostics.Metrics;
using Gateway.Lanes.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Gateway.Host.Diagnostics;

/// <summary>
/// Owns the OpenTelemetry SDK: one meter provider feeding the Prometheus scrape endpoint and, when configured, an
/// OTLP exporter; and a tracer provider (ASP.NET Core and YARP activities, carrying the lane tags) for OTLP.
/// </summary>
internal sealed class GatewayTelemetry : IDisposable
{
    public const string ServiceName = "lanes-gateway";

    /// <summary>Meters exported: the gateway's own, and ASP.NET Core's server metrics.</summary>
    public static readonly string[] Meters = [LaneMetrics.MeterName, HostMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel"];

    private readonly MeterProvider _meters;
    private readonly TracerProvider? _tracer;
    private readonly PrometheusExporter _prometheus = new();
    private readonly BaseExportingMetricReader _prometheusReader;
    private readonly Lock _scrapeLock = new();

    public GatewayTelemetry(TelemetryOptions options, IMeterFactory meterFactory)
    {
        _prometheusReader = new BaseExportingMetricReader(_prometheus);
        var resource = ResourceBuilder.CreateDefault().AddService(ServiceName);

        // The SDK subscribes to meters by name in the whole process; keep only this host's (those its own meter
        // factory made), so other hosts in the process (the demo's backends, tests) never mix into its metrics.
        var meters = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(Meters)
            .AddView(instrument => instrument.Meter.Scope == meterFactory ? null : MetricStreamConfiguration.Drop)
            .AddReader(_prometheusReader);
        if (options.OtlpEndpoint is { } endpoint)
        {
            meters.AddOtlpExporter((exporter, reader) =>
            {
                Configure(exporter, options, endpoint, "v1/metrics");
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)(options.OtlpExportIntervalSeconds * 1000);
            });
            _tracer = Sdk.CreateTracerProviderBuilder()
                .SetResourceBuilder(resource)
                .AddSource("Microsoft.AspNetCore", "Yarp.ReverseProxy")
                .AddOtlpExporter(exporter =>
                {
                    Configure(exporter, options, endpoint, "v1/traces");
                    exporter.BatchExportProcessorOptions.ScheduledDelayMilliseconds = (int)(options.OtlpExportIntervalSeconds * 1000);
                })
                .Build();
        }

        _meters = meters.Build();
    }

    /// <summary>The current metrics in the Prometheus text format.</summary>
    public string ScrapePrometheus()
    {
        lock (_scrapeLock)
        {
            return _prometheus.Scrape();
        }
    }

    public void Dispose()
    {
        _tracer?.Dispose();
        _meters.Dispose();
    }

    private static void Configure(OtlpExporterOptions exporter, TelemetryOptions options, Uri endpoint, string signalPath)
    {
        if (string.Equals(options.OtlpProtocol, "http/protobuf", StringComparison.OrdinalIgnoreCase))
        {
            // Set in code, the endpoint is used as-is for HTTP: add the signal's path as the OTLP spec's base URL rule does.
            exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
            exporter.Endpoint = new Uri(endpoint.ToString().TrimEnd('/') + "/" + signalPath);
        }
        else
        {
            exporter.Protocol = OtlpExportProtocol.Grpc;
            exporter.Endpoint = endpoint;
        }
    }
}
