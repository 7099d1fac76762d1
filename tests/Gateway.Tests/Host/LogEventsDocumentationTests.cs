using System.Reflection;
using System.Text.RegularExpressions;
using Gateway.Host.Hosting;
using Gateway.Lanes.Diagnostics;
using Gateway.Routing.Config;
using Gateway.Tests.Support;

namespace Gateway.Tests.Host;

/// <summary>
/// README's "Log events" table is what log filters and alerts on logs are written against: it lists exactly the
/// events the gateway's assemblies declare with <c>[LoggerMessage]</c>, with their ids, names, levels and categories.
/// </summary>
public sealed partial class LogEventsDocumentationTests
{
    [Fact]
    public void LogEvents_IdsNamesLevelsAndCategories_EqualTheReadmeTable()
    {
        var documented = DocumentedEvents();
        var declared = DeclaredEvents();

        documented.Keys.Should().BeEquivalentTo(declared.Keys, "README lists every event id the gateway declares, and no other");
        foreach (var (id, (name, level, categories)) in declared)
        {
            documented[id].Name.Should().Be(name, "README names event {0} as the code does", id);
            documented[id].Level.Should().Be(level, "README gives event {0}'s level", id);
            categories.Should().Contain(documented[id].Category, "README gives event {0}'s category", id);
        }
    }

    /// <summary>The rows of README's "#### Log events" table: id, then event name, level and category.</summary>
    private static Dictionary<int, (string Name, string Level, string Category)> DocumentedEvents()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md"));
        var section = readme[readme.IndexOf("\n#### Log events\n", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n#", 1, StringComparison.Ordinal)];
        var rows = new Dictionary<int, (string, string, string)>();
        foreach (var row in Row().Matches(section).Cast<Match>())
        {
            rows.Add(int.Parse(row.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), (row.Groups[2].Value, row.Groups[3].Value, row.Groups[4].Value));
        }

        rows.Should().NotBeEmpty("README has a log events table");
        return rows;
    }

    /// <summary>
    /// Every <c>[LoggerMessage]</c> method of the gateway's assemblies, by id: its event name, level, and the categories
    /// it may be written under (the class whose nested <c>Log</c> declares it, or a category constant of that class).
    /// </summary>
    private static Dictionary<int, (string Name, string Level, string[] Categories)> DeclaredEvents()
    {
        var events = new Dictionary<int, (string, string, string[])>();
        Assembly[] assemblies = [typeof(GatewayApp).Assembly, typeof(LaneMetrics).Assembly, typeof(LanesOptions).Assembly];
        foreach (var type in assemblies.SelectMany(a => a.GetTypes()))
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            {
                if (method.GetCustomAttribute<LoggerMessageAttribute>() is not { } attribute)
                {
                    continue;
                }

                var owner = type.DeclaringType ?? type;
                string[] categories = [owner.FullName!, .. owner.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
                    .Where(f => f.IsLiteral && f.FieldType == typeof(string) && f.Name.EndsWith("Category", StringComparison.Ordinal)).Select(f => (string)f.GetRawConstantValue()!)];
                events.Add(attribute.EventId, (attribute.EventName ?? method.Name, attribute.Level.ToString(), categories));
            }
        }

        events.Should().HaveCountGreaterThan(10, "the attribute is kept in the assemblies, so the check sees the gateway's events");
        return events;
    }

    [GeneratedRegex(@"^\| (\d+) \| `([^`]+)` \| (\w+) \| `([^`]+)` \|", RegexOptions.Multiline)]
    private static partial Regex Row();
}
