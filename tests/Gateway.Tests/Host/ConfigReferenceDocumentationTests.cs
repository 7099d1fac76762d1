using System.Reflection;
using System.Text.Json.Serialization;
using Gateway.Host.Config;
using Gateway.Routing.Config;
using Gateway.Tests.Support;
using ServiceLanesOptions = Lanes.Propagation.LanesOptions;

namespace Gateway.Tests.Host;

/// <summary>
/// Every setting the config records accept is documented where a user looks for it: the top-level keys and the host
/// sections' settings in the configuration reference's table, the <c>Lanes</c> settings, a lane's settings, the
/// condition kinds and their modes in their own tables, the service package's settings in its section. The settings
/// come from the records themselves, so a setting added without its documentation fails here.
/// </summary>
public sealed class ConfigReferenceDocumentationTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md"));

    public static TheoryData<string, string> Documented()
    {
        // A set: the path modes repeat the value modes' names, and xunit skips a repeated case with a warning.
        var data = new SortedSet<(string Section, string Expected)>();
        var topLevel = Properties(typeof(GatewayConfigFile)).Select(p => p.Name).ToList();
        foreach (var key in topLevel)
        {
            data.Add(("## Configuration reference", "| `" + (key == nameof(GatewayConfigFile.Urls) ? "urls" : key) + "` |"));
        }

        // A host section's row names each of its settings.
        foreach (var section in Properties(typeof(GatewayConfigFile)).Where(p => p.PropertyType.IsClass && p.PropertyType != typeof(string)))
        {
            foreach (var leaf in Leaves(section.PropertyType, ""))
            {
                data.Add(("## Configuration reference", "| `" + section.Name + "` | " + "…`" + leaf.Split(':')[^1] + "`"));
            }
        }

        foreach (var leaf in Leaves(typeof(LanesOptions), "").Where(l => !l.StartsWith("Groups", StringComparison.Ordinal)))
        {
            data.Add(("### `Lanes`", "`" + leaf + "`"));
        }

        foreach (var property in Properties(typeof(LaneGroupOptions)).Where(p => p.Name != nameof(LaneGroupOptions.Name)))
        {
            data.Add(("### `Lanes`", "`Groups:<name>:" + property.Name + "`"));
        }

        foreach (var property in Properties(typeof(LaneOptions)))
        {
            data.Add(("### A lane", "| `" + property.Name + "` |"));
        }

        foreach (var property in Properties(typeof(MatchOptions)))
        {
            data.Add(("### Match conditions", "| `" + property.Name + "` |"));
        }

        foreach (var property in Properties(typeof(ValueConditionOptions)).Concat(Properties(typeof(PathConditionOptions))))
        {
            data.Add(("### Match conditions", "\"" + property.Name + "\""));
        }

        foreach (var mode in Enum.GetNames<MatchMode>().Concat(Enum.GetNames<PathMatchMode>()))
        {
            data.Add(("### Match conditions", "| `" + mode + "`"));
        }

        foreach (var value in Enum.GetNames<IncomingTagTrust>())
        {
            data.Add(("### `Lanes`", "`" + value + "`"));
        }

        foreach (var value in Enum.GetNames<LaneFallback>())
        {
            data.Add(("### A lane", "`" + value + "`"));
        }

        foreach (var leaf in Leaves(typeof(ServiceLanesOptions), "Lanes:"))
        {
            data.Add(("## Carrying the lane through your services", "`" + leaf.Replace("Services:", "Services:NAME:", StringComparison.Ordinal) + "`"));
        }

        var cases = new TheoryData<string, string>();
        foreach (var (section, expected) in data)
        {
            cases.Add(section, expected);
        }

        return cases;
    }

    /// <summary>
    /// <paramref name="expected"/> is text the section must hold; "…" in it stands for anything on the same line (a
    /// host section's row lists its settings after its name).
    /// </summary>
    [Theory]
    [MemberData(nameof(Documented))]
    public void ConfigSetting_IsDocumentedInItsSection(string section, string expected)
    {
        var text = Section(section);

        var parts = expected.Split('…');
        var found = parts.Length == 1
            ? text.Contains(expected, StringComparison.Ordinal)
            : text.Split('\n').Any(line => line.StartsWith(parts[0], StringComparison.Ordinal) && line.Contains(parts[1], StringComparison.Ordinal));
        found.Should().BeTrue("README's section '{0}' documents {1}", section, expected);
    }

    private static string Section(string heading)
    {
        var start = Readme.IndexOf("\n" + heading + "\n", StringComparison.Ordinal);
        start.Should().BeGreaterThanOrEqualTo(0, "README has the section '{0}'", heading);
        var end = Readme.IndexOf("\n#", start + heading.Length + 1, StringComparison.Ordinal);
        return Readme[start..(end < 0 ? Readme.Length : end)];
    }

    /// <summary>A record's settings: public properties read from JSON (not <c>[JsonIgnore]</c>, not internal state).</summary>
    private static IEnumerable<PropertyInfo> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } && p.GetCustomAttribute<JsonIgnoreAttribute>() is null);

    /// <summary>Settings as paths (<c>Baggage:Enabled</c>): nested records are walked, values and lists of values are leaves.</summary>
    private static IEnumerable<string> Leaves(Type type, string prefix)
    {
        foreach (var property in Properties(type))
        {
            var valueType = property.PropertyType;
            if (valueType.IsGenericType && valueType.GetGenericTypeDefinition() == typeof(Dictionary<,>) && valueType.GetGenericArguments()[1].IsClass
                && valueType.GetGenericArguments()[1] != typeof(string))
            {
                foreach (var leaf in Leaves(valueType.GetGenericArguments()[1], prefix + property.Name + ":"))
                {
                    yield return leaf;
                }
            }
            else if (valueType.IsClass && valueType != typeof(string) && !typeof(System.Collections.IEnumerable).IsAssignableFrom(valueType))
            {
                foreach (var leaf in Leaves(valueType, prefix + property.Name + ":"))
                {
                    yield return leaf;
                }
            }
            else
            {
                yield return prefix + property.Name;
            }
        }
    }
}
