using System.Globalization;
using System.Text.Json;
using Gateway.Routing.Config;

namespace Gateway.Host.Config;

/// <summary>
/// Checks the host sections as the gateway will run them, environment variables and arguments included, with the same
/// reader and checks as the file: a pod spec's <c>Lifecycle__DrainDelaySeconds=5s</c> or a misspelt
/// <c>Lifecycle__DrainDelaySecond</c> stops the start with a problem at its path, as it would in the file, instead of
/// crashing the start with a stack trace or being ignored.
/// </summary>
internal static class EffectiveHostSettings
{
    /// <summary>The sections the host reads from the merged configuration (listener URLs are checked where they are read).</summary>
    private static readonly string[] Sections = ["Admin", "Telemetry", "Lifecycle", "ConfigReload", "Logging", "Kestrel"];

    /// <summary>Reports each problem of the merged settings; run after the file passed, so each comes from an override.</summary>
    public static void Validate(IConfiguration configuration, List<ConfigProblem> problems)
    {
        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            foreach (var section in Sections)
            {
                Write(configuration.GetSection(section), writer);
            }

            writer.WriteEndObject();
        }

        var found = new List<ConfigProblem>();
        using var document = JsonDocument.Parse(json.ToArray());
        ConfigJson.ReadMembers<GatewayConfigFile>(document.RootElement, "", new ConfigReader(found)).Validate(new ConfigReader(found));
        problems.AddRange(found.Select(p => new ConfigProblem(p.Path, p.Message + " (set by an environment variable or a command-line argument)")));

        // Routes, clusters and lanes are read from the file alone (hot-reloaded with it), so an override would be ignored.
        foreach (var section in new[] { "ReverseProxy", "Lanes" })
        {
            if (configuration.GetSection(section).AsEnumerable().FirstOrDefault(setting => setting.Value is not null).Key is { } key)
            {
                problems.Add(new ConfigProblem(key, "routes, clusters and lanes come from the config file only, not from an environment variable or a command-line argument"));
            }
        }
    }

    /// <summary>
    /// A section as JSON: children keyed 0, 1, 2... as a list (how the configuration system keeps one), other children
    /// as an object, else its value as text (the configuration system keeps only text).
    /// </summary>
    private static void Write(IConfigurationSection section, Utf8JsonWriter writer, bool named = true)
    {
        var children = section.GetChildren().ToList();
        if (named && (children.Count > 0 || section.Value is not null))
        {
            writer.WritePropertyName(section.Key);
        }

        if (children.Count == 0)
        {
            if (section.Value is { } value)
            {
                writer.WriteStringValue(value);
            }

            return;
        }

        var list = children.Select((child, index) => child.Key == index.ToString(CultureInfo.InvariantCulture)).All(item => item);
        (list ? (Action)writer.WriteStartArray : writer.WriteStartObject)();
        children.ForEach(child => Write(child, writer, named: !list));
        (list ? (Action)writer.WriteEndArray : writer.WriteEndObject)();
    }
}
