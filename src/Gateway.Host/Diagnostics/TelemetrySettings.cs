namespace Gateway.Host.Diagnostics;

/// <summary>The <c>Telemetry</c> section as written in the file.</summary>
internal sealed class TelemetrySettings
{
    public OtlpSettings? Otlp { get; init; }
}
