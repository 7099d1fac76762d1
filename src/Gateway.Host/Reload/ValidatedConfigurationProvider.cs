using System.Text.Json;
using Gateway.Host.Config;
using Gateway.Routing.Config;
using Microsoft.Extensions.Configuration.Json;

namespace Gateway.Host.Reload;

/// <summary>
/// The host settings of the config the gateway runs on (listeners, admin, telemetry, logging, limits): key/value data
/// that is replaced only with a config that has already been validated and compiled, so everything that reads
/// <see cref="IConfiguration"/> sees a new file only after it passed, and sees it whole. Routes, clusters and lanes
/// are left out: they are read into YARP's and the lanes' own objects, and tens of thousands of route keys here would
/// only slow every settings lookup down.
/// </summary>
internal sealed class ValidatedConfigurationProvider : ConfigurationProvider, IConfigurationSource
{
    /// <summary>Keys no record reads (Kestrel's, Serilog's, log categories): one written twice there is reported here.</summary>
    private static readonly string[] FreeForm = ["Kestrel", "Serilog", "Logging:LogLevel"];

    public ValidatedConfigurationProvider(IReadOnlyDictionary<string, string?> initial) => Replace(initial, notify: false);

    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    /// <summary>Swaps in the new config's settings and fires the reload token.</summary>
    public void Replace(IReadOnlyDictionary<string, string?> settings, bool notify = true)
    {
        Data = new Dictionary<string, string?>(settings, StringComparer.OrdinalIgnoreCase);
        if (notify)
        {
            OnReload();
        }
    }

    /// <summary>The host sections as the configuration system's own JSON provider reads them, section by section.</summary>
    public static Dictionary<string, string?> Flatten(JsonElement root, ConfigReader problems)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var section in root.EnumerateObject())
        {
            if (string.Equals(section.Name, ProxyConfigReader.SectionName, StringComparison.OrdinalIgnoreCase) || string.Equals(section.Name, LanesOptions.SectionName, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            using var json = new MemoryStream();
            using (var writer = new Utf8JsonWriter(json))
            {
                writer.WriteStartObject();
                section.WriteTo(writer);
                writer.WriteEndObject();
            }

            try
            {
                json.Position = 0;
                foreach (var (key, value) in new JsonSection().Read(json))
                {
                    settings[key] = value;
                }
            }
            catch (FormatException ex)
            {
                // "A duplicate key 'Serilog:MinimumLevel' was found.", said as every other key written twice is; keys
                // that records read were reported by their readers.
                var key = ex.Message.Split('\'') is [_, var quoted, _] ? quoted : section.Name;
                if (FreeForm.Any(free => key.StartsWith(free, StringComparison.OrdinalIgnoreCase)))
                {
                    problems.Report(key, key == section.Name ? ex.Message : ConfigJson.Twice);
                }
            }
        }

        return settings;
    }

    /// <summary>The configuration system's JSON provider, its key/value data read out.</summary>
    private sealed class JsonSection() : JsonStreamConfigurationProvider(new JsonStreamConfigurationSource())
    {
        public IDictionary<string, string?> Read(Stream json)
        {
            Load(json);
            return Data;
        }
    }
}
