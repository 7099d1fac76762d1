using Gateway.Routing.Config;

namespace Gateway.Host.Hosting;

/// <summary>
/// The <c>Overload</c> section: how many of the public connections and proxied requests the open-file budget allows
/// one client may hold.
/// </summary>
internal sealed class OverloadOptions
{
    public const string SectionName = "Overload";

    public const int MaxPerClient = 100_000_000;

    /// <summary>Proxied requests one client (its address as the lane rules see it) may have in flight; none: all but a tenth of the budget.</summary>
    public int? RequestsPerClient { get; init; }

    /// <summary>Public connections one client address (not a trusted proxy's) may hold open; none: all but a tenth of the budget.</summary>
    public int? ConnectionsPerClient { get; init; }

    /// <summary>The request share for a budget of <paramref name="budget"/> places (see <see cref="Share"/>).</summary>
    public long? RequestCap(long? budget) => Share(RequestsPerClient, budget);

    /// <summary>The connection share for a budget of <paramref name="budget"/> connections.</summary>
    public long? ConnectionCap(long? budget) => Share(ConnectionsPerClient, budget);

    public void Validate(string path, ConfigReader problems)
    {
        foreach (var (name, value) in new[] { (nameof(RequestsPerClient), RequestsPerClient), (nameof(ConnectionsPerClient), ConnectionsPerClient) })
        {
            if (value is < 1 or > MaxPerClient)
            {
                problems.Report(ConfigReader.Child(path, name), value + " is outside 1-" + MaxPerClient);
            }
        }
    }

    /// <summary>
    /// The setting, else all but a tenth (at least one place for others) of a known budget, so that clients sharing one
    /// address behind an untrusted load balancer keep nearly what they had without a share; null: no share.
    /// </summary>
    private static long? Share(int? setting, long? budget) =>
        setting is { } cap ? cap : budget is { } places ? Math.Max(1, places - Math.Max(1, places / 10)) : null;
}
