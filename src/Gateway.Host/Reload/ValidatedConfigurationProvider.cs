using System.Globalization;
using System.Text.Json;
using Gateway.Host.Config;
using Gateway.Routing.Config;

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

    /// <summary>
    /// The host sections as the JSON configuration provider flattens them (null and empty objects as no value, an
    /// empty list as "", true as "True"), reporting a key written twice in different case, which it would merge.
    /// </summary>
    public static Dictionary<string, string?> Flatten(JsonElement root, ConfigReader problems)
    {
        var pairs = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in root.EnumerateObject())
        {
            if (!string.Equals(property.Name, ProxyConfigReader.SectionName, StringComparison.OrdinalIgnoreCase)
                && !string.Equals(property.Name, LanesOptions.SectionName, StringComparison.OrdinalIgnoreCase))
            {
                // Sections read into records have their repeated keys reported there; the free-form ones here.
                var typed = !string.Equals(property.Name, "Kestrel", StringComparison.OrdinalIgnoreCase) && !string.Equals(property.Name, "Serilog", StringComparison.OrdinalIgnoreCase);
                Flatten(property.Value, property.Name, pairs, typed ? null : problems);
            }
        }

        return pairs;
    }

    private static void Flatten(JsonElement element, string path, Dictionary<string, string?> pairs, ConfigReader? problems)
    {
        var empty = true;
        if (element.ValueKind == JsonValueKind.Object)
        {
            var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in element.EnumerateObject())
            {
                empty = false;
                if (keys.Add(property.Name))
                {
                    Flatten(property.Value, path + ConfigurationPath.KeyDelimiter + property.Name, pairs, problems);
                }
                else
                {
                    problems?.Report(path + ConfigurationPath.KeyDelimiter + property.Name, "appears twice (keys are case-insensitive)");
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var item in element.EnumerateArray())
            {
                empty = false;
                Flatten(item, path + ConfigurationPath.KeyDelimiter + index++.ToString(CultureInfo.InvariantCulture), pairs, problems);
            }
        }

        if (empty)
        {
            pairs[path] = element.ValueKind switch
            {
                JsonValueKind.Object or JsonValueKind.Null => null,
                JsonValueKind.Array => string.Empty,
                JsonValueKind.True => bool.TrueString,
                JsonValueKind.False => bool.FalseString,
                JsonValueKind.String => element.GetString(),
                _ => element.GetRawText(),
            };
        }
    }
}
