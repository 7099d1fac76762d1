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

        return options;
    }
}
