using Gateway.Routing.Config;

namespace Gateway.Host.Diagnostics;

/// <summary>The <c>Logging</c> section: levels by category (any category name) and the console format.</summary>
internal sealed class LoggingSettings
{
    public IReadOnlyDictionary<string, LogLevel>? LogLevel { get; init; }

    /// <summary><c>text</c> (default) or <c>json</c>; ignored when a <c>Serilog</c> section configures the output.</summary>
    public string? Format { get; init; }

    public void Validate(string path, ConfigReader problems)
    {
        // Serilog refuses a level override for an empty category, as the start builds the logger.
        foreach (var category in LogLevel?.Keys ?? [])
        {
            if (string.IsNullOrWhiteSpace(category))
            {
                problems.Report(ConfigReader.Child(path, nameof(LogLevel)), "a category name must not be empty");
            }
        }

        if (Format is not null && !string.Equals(Format, "text", StringComparison.OrdinalIgnoreCase) && !string.Equals(Format, "json", StringComparison.OrdinalIgnoreCase))
        {
            problems.Report(ConfigReader.Child(path, nameof(Format)), "'" + Format + "' is not text or json");
        }
    }
}
