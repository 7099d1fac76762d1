using System.Text.Json.Serialization;
using Gateway.Routing.Config;

namespace Gateway.Host.Lifecycle;

/// <summary>
/// The <c>Lifecycle</c> section: how the gateway leaves. On SIGTERM readiness fails at once, the gateway keeps
/// serving for <see cref="DrainDelay"/> so load balancers stop sending, then stops accepting connections and gives
/// in-flight requests <see cref="ShutdownTimeout"/>. Their sum must fit in the pod's terminationGracePeriodSeconds.
/// </summary>
internal sealed class LifecycleOptions
{
    public static readonly LifecycleOptions Default = new();

    public double DrainDelaySeconds { get; init; } = 5;

    public double ShutdownTimeoutSeconds { get; init; } = 20;

    [JsonIgnore]
    public TimeSpan DrainDelay => TimeSpan.FromSeconds(DrainDelaySeconds);

    [JsonIgnore]
    public TimeSpan ShutdownTimeout => TimeSpan.FromSeconds(ShutdownTimeoutSeconds);

    public void Validate(string path, ConfigReader problems)
    {
        foreach (var (name, seconds) in new[] { (nameof(DrainDelaySeconds), DrainDelaySeconds), (nameof(ShutdownTimeoutSeconds), ShutdownTimeoutSeconds) })
        {
            if (seconds is not (>= 0 and <= 3600)) // NaN included
            {
                problems.Report(ConfigReader.Child(path, name), seconds + " is outside 0-3600");
            }
        }
    }
}
