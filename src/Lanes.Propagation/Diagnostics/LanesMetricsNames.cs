namespace Lanes.Propagation;

/// <summary>Names to register the package's metrics with OpenTelemetry: <c>.AddMeter(LanesMetricsNames.MeterName)</c>.</summary>
public static class LanesMetricsNames
{
    /// <summary>The meter every instrument of the package belongs to.</summary>
    public const string MeterName = "Lanes.Propagation";
}
