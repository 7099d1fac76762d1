using Gateway.Routing.Config;

namespace Gateway.Host.Reload;

/// <summary>The <c>ConfigReload</c> section.</summary>
internal sealed class ConfigReloadOptions
{
    public const int DefaultPollIntervalMilliseconds = 250;

    /// <summary>How often the file is checked besides file-system events (which can be missed).</summary>
    public int PollIntervalMilliseconds { get; init; } = DefaultPollIntervalMilliseconds;

    public void Validate(string path, ConfigReader problems)
    {
        if (PollIntervalMilliseconds is < 10 or > 3_600_000)
        {
            problems.Report(ConfigReader.Child(path, nameof(PollIntervalMilliseconds)), PollIntervalMilliseconds + " is outside 10-3600000");
        }
    }
}
