using Gateway.Routing.Config;

namespace Gateway.Host.Diagnostics;

/// <summary>The <c>Telemetry</c> section as written in the file (used through <see cref="TelemetryOptions"/>).</summary>
internal sealed class TelemetrySettings
{
    public OtlpSettings? Otlp { get; init; }

    public int? MetricSeriesLimit { get; init; }

    public void Validate(string path, ConfigReader problems)
    {
        Otlp?.Validate(ConfigReader.Child(path, nameof(Otlp)), problems);
        if (MetricSeriesLimit is < TelemetryOptions.MinMetricSeriesLimit or > TelemetryOptions.MaxMetricSeriesLimit)
        {
            problems.Report(ConfigReader.Child(path, nameof(MetricSeriesLimit)),
                MetricSeriesLimit + " is outside " + TelemetryOptions.MinMetricSeriesLimit + "-" + TelemetryOptions.MaxMetricSeriesLimit);
        }
    }
}
