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
    /// <summary>Routes, clusters and lanes are read from the file alone (hot-reloaded with it), so an override would be ignored.</summary>
    private static readonly string[] FileOnly = [nameof(GatewayConfigFile.ReverseProxy), nameof(GatewayConfigFile.Lanes)];

    /// <summary>
    /// Sections of <see cref="GatewayConfigFile"/> not checked here: the file-only ones (refused), listener URLs (checked
    /// where they are read) and Serilog's own section (free-form). Every other section is, one added later too.
    /// </summary>
    private static readonly string[] NotChecked = [.. FileOnly, nameof(GatewayConfigFile.Urls), nameof(GatewayConfigFile.Serilog)];

    /// <summary>
    /// Reports each problem of the settings whose value comes from an environment variable, an argument or the gateway's
    /// defaults rather than from the file (<paramref name="file"/>, which passed already).
    /// </summary>
    public static void Validate(IConfigurationRoot configuration, IConfigurationProvider file, List<ConfigProblem> problems)
    {
        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            foreach (var section in ConfigJson.Options.GetTypeInfo(typeof(GatewayConfigFile)).Properties.Select(p => p.Name).Except(NotChecked))
            {
                Write(configuration.GetSection(section), key => configuration.Providers.LastOrDefault(p => p.TryGet(key, out _)) != file, writer);
            }

            writer.WriteEndObject();
        }

        var found = new List<ConfigProblem>();
        using var document = JsonDocument.Parse(json.ToArray());
        ConfigJson.ReadMembers<GatewayConfigFile>(document.RootElement, "", new ConfigReader(found)).Validate(new ConfigReader(found));
        // A key already reported where it is read (the listeners' Admin:Urls) is not reported twice.
        problems.AddRange(found.Where(p => !problems.Exists(q => q.Path == p.Path))
            .Select(p => new ConfigProblem(p.Path, p.Message + " (set by an environment variable or a command-line argument)")));

        foreach (var section in FileOnly)
        {
            if (configuration.GetSection(section).AsEnumerable().FirstOrDefault(setting => setting.Value is not null).Key is { } key)
            {
                problems.Add(new ConfigProblem(key, "routes, clusters and lanes come from the config file only, not from an environment variable or a command-line argument"));
            }
        }
    }

    /// <summary>
    /// A section's overridden settings as JSON: children keyed 0, 1, 2... as a list (how the configuration system keeps
    /// one), other children as an object, else its value as text (the configuration system keeps only text). What the
    /// file set is left out: an empty list in the file is an empty text here, which no check should see.
    /// </summary>
    private static void Write(IConfigurationSection section, Func<string, bool> overridden, Utf8JsonWriter writer, bool named = true)
    {
        if (!section.AsEnumerable().Any(setting => setting.Value is not null && overridden(setting.Key)))
        {
            return;
        }

        if (named)
        {
            writer.WritePropertyName(section.Key);
        }

        var children = section.GetChildren().ToList();
        if (children.Count == 0)
        {
            writer.WriteStringValue(section.Value);
            return;
        }

        var list = children.Select((child, index) => child.Key == index.ToString(CultureInfo.InvariantCulture)).All(item => item);
        (list ? (Action)writer.WriteStartArray : writer.WriteStartObject)();
        children.ForEach(child => Write(child, overridden, writer, named: !list));
        (list ? (Action)writer.WriteEndArray : writer.WriteEndObject)();
    }
}
