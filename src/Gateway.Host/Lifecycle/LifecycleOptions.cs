using System.Globalization;

namespace Gateway.Host.Lifecycle;

/// <summary>
/// The <c>Lifecycle</c> section: how the gateway leaves. On SIGTERM readiness fails at once, the gateway keeps
/// serving for <see cref="DrainDelay"/> so load balancers stop sending, then stops accepting connections and gives
/// in-flight requests <see cref="ShutdownTimeout"/>. Their sum must fit in the pod's terminationGracePeriodSeconds.
/// </summary>
internal sealed record LifecycleOptions(TimeSpan DrainDelay, TimeSpan ShutdownTimeout)
{
    public static readonly LifecycleOptions Default = new(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20));

    public static LifecycleOptions Read(IConfiguration configuration) => new(
        Seconds(configuration["Lifecycle:DrainDelaySeconds"], Default.DrainDelay),
        Seconds(configuration["Lifecycle:ShutdownTimeoutSeconds"], Default.ShutdownTimeout));

    private static TimeSpan Seconds(string? text, TimeSpan fallback) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0 ? TimeSpan.FromSeconds(seconds) : fallback;
}
