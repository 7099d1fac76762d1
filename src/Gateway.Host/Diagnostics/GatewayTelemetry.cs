using System.Diagnostics;
using System.Diagnostics.Metrics;
using Gateway.Host.Hosting;
using Gateway.Lanes.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Instrumentation.AspNetCore;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Gateway.Host.Diagnostics;

/// <summary>
/// The OpenTelemetry SDK through <c>AddOpenTelemetry()</c>: the gateway's meters and ASP.NET Core's server metrics
/// for the Prometheus scrape endpoint (served on the admin listener only, see <c>MapGateway</c>) and, when
/// <c>Telemetry:Otlp:Endpoint</c> is set, metrics and traces (ASP.NET Core, HttpClient and YARP activities, carrying
/// the lane tags) exported over OTLP.
/// </summary>
internal static class GatewayTelemetry
{
    public const string ServiceName = "lanes-gateway";

    /// <summary>YARP's activity source: its forwarder span, the parent of the outgoing request's client span.</summary>
    private const string YarpSource = "Yarp.ReverseProxy";

    /// <summary>Meters exported: the gateway's own, and ASP.NET Core's server metrics.</summary>
    public static readonly string[] Meters = [LaneMetrics.MeterName, HostMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel"];

    public static IServiceCollection AddGatewayTelemetry(this IServiceCollection services, TelemetryOptions options)
    {
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithMetrics(metrics =>
            {
                // The SDK subscribes to meters by name in the whole process; keep only this host's (those its own
                // meter factory made), so other hosts in the process (the demo's backends, tests) never mix in.
                metrics.AddMeter(Meters);
                ((IDeferredMeterProviderBuilder)metrics).Configure((services, builder) =>
                {
                    var factory = services.GetRequiredService<IMeterFactory>();
                    builder.AddView(instrument => instrument.Meter.Scope != factory ? MetricStreamConfiguration.Drop
                        : LabelledByConfig(instrument) ? new MetricStreamConfiguration { CardinalityLimit = options.MetricSeriesLimit }
                        : null);
                });
                metrics.AddPrometheusExporter(prometheus =>
                {
                    // A cached response would show a scraper (or a test) numbers up to the cache's age old.
                    prometheus.ScrapeResponseCacheDurationMilliseconds = 0;

                    // The documented label sets stay exactly as they are: no otel_scope_* label on every series, and
                    // no target_info (Prometheus' job and instance already say which gateway a series came from).
                    prometheus.ScopeInfoEnabled = false;
                    prometheus.TargetInfoEnabled = false;
                });
                if (options.OtlpEndpoint is { } endpoint)
                {
                    // A slow request's duration sample then links to its trace (OpenMetrics exemplars).
                    metrics.SetExemplarFilter(ExemplarFilterType.TraceBased);
                    metrics.AddOtlpExporter((exporter, reader) =>
                    {
                        Configure(exporter, options, endpoint, "v1/metrics");
                        reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)(options.OtlpExportIntervalSeconds * 1000);
                    });
                }
            });

        // Without a collector nothing would read the spans: no tracer, so requests pay nothing for them.
        if (options.OtlpEndpoint is { } traces)
        {
            services.AddHostedService<OtlpFinalExport>();
            // ASP.NET Core's and HttpClient's activities are process-wide: without these filters, the spans of other
            // hosts and clients in the process (the demo's backends) would be exported as the gateway's.
            services.AddOptions<AspNetCoreTraceInstrumentationOptions>().Configure<GatewayListeners>((aspNetCore, listeners) => aspNetCore.Filter = listeners.Serves);
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation(http => http.FilterHttpRequestMessage = _ => Activity.Current?.Parent?.Source.Name == YarpSource)
                .AddSource(YarpSource)
                .AddOtlpExporter(exporter =>
                {
                    Configure(exporter, options, traces, "v1/traces");
                    exporter.BatchExportProcessorOptions.ScheduledDelayMilliseconds = (int)(options.OtlpExportIntervalSeconds * 1000);
                }));
        }

        return services;
    }

    /// <summary>
    /// Instruments with a series per route, cluster or lane: the gateway's lane metrics, and ASP.NET Core's request
    /// duration (by route pattern). Past the limit the SDK counts new label sets in one <c>otel_metric_overflow</c>
    /// series, and a set once seen keeps its place until the process ends (the Prometheus exporter is cumulative).
    /// </summary>
    private static bool LabelledByConfig(Instrument instrument) =>
        instrument.Meter.Name == LaneMetrics.MeterName || instrument is { Name: "http.server.request.duration", Meter.Name: "Microsoft.AspNetCore.Hosting" };

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
