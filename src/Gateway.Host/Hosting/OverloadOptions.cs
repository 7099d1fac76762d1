using Gateway.Routing.Config;

namespace Gateway.Host.Hosting;

/// <summary>The <c>Overload</c> section: how many of the proxied requests the open-file budget allows one client may hold.</summary>
internal sealed class OverloadOptions
{
    public const string SectionName = "Overload";

    public const int MaxRequestsPerClient = 100_000_000;

    /// <summary>Proxied requests one client (its address as the lane rules see it) may have in flight; none: all but a tenth of the budget.</summary>
    public int? RequestsPerClient { get; init; }

    /// <summary>
    /// The cap for a budget of <paramref name="budget"/> places: the setting, else all but a tenth (at least one place
    /// for others) of a known budget, so that clients sharing one address behind an untrusted load balancer keep nearly
    /// what they had without a cap; null: no cap.
    /// </summary>
    public long? CapFor(long? budget) => RequestsPerClient is { } cap ? cap : budget is { } places ? Math.Max(1, places - Math.Max(1, places / 10)) : null;

    public void Validate(string path, ConfigReader problems)
    {
        if (RequestsPerClient is < 1 or > MaxRequestsPerClient)
        {
            problems.Report(ConfigReader.Child(path, nameof(RequestsPerClient)), RequestsPerClient + " is outside 1-" + MaxRequestsPerClient);
        }
    }
}
