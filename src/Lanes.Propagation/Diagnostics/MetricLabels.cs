namespace Lanes.Propagation;

/// <summary>Metric label values that are not configured names.</summary>
internal static class MetricLabels
{
    /// <summary>Any lane or service no configuration names: client input never becomes a label.</summary>
    public const string Other = "other";
}
