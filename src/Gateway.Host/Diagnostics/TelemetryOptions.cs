namespace Gateway.Host.Diagnostics;

/// <summary>The <c>Telemetry</c> section.</summary>
internal sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>OTLP collector base address (e.g. <c>http://otel-collector:4317</c>); none: no OTLP export.</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary><c>grpc</c> (default) or <c>http/protobuf</c>.</summary>
    public string OtlpProtocol { get; set; } = "grpc";

    public double OtlpExportIntervalSeconds { get; set; } = 15;

    /// <summary>
    /// Series per metric the SDK keeps for the metrics labelled by route, cluster or lane (OpenTelemetry's own default,
    /// 2,000, is reached by a config of a few hundred clusters). The SDK allocates them all when the metric is created.
    /// </summary>
    public const int DefaultMetricSeriesLimit = 50_000;

    public const int MinMetricSeriesLimit = 1;

    public const int MaxMetricSeriesLimit = 1_000_000;

    public int MetricSeriesLimit { get; set; } = DefaultMetricSeriesLimit;

    public static TelemetryOptions Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName + ":Otlp");
        var options = new TelemetryOptions();
        if (Uri.TryCreate(section["Endpoint"], UriKind.Absolute, out var endpoint))
        {
            options.OtlpEndpoint = endpoint;
        }

        options.OtlpProtocol = section["Protocol"] ?? options.OtlpProtocol;
        if (double.TryParse(section["ExportIntervalSeconds"], System.Globalization.CultureInfo.InvariantCulture, out var interval) && interval > 0)
        {
            options.OtlpExportIntervalSeconds = interval;
        }

        if (int.TryParse(configuration[SectionName + ":MetricSeriesLimit"], System.Globalization.CultureInfo.InvariantCulture, out var limit))
        {
            options.MetricSeriesLimit = limit;
        }

        return options;
    }
}
