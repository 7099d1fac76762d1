using System.Text.Json;
using Gateway.Routing.Config;

namespace Gateway.Host.Config;

/// <summary>
/// Reads the <c>Lanes</c> section into <see cref="LanesOptions"/>: the options records are the schema. Each lane group
/// is read on its own, so every broken group is reported, and a group whose text did not change is taken from the cache.
/// </summary>
internal static class LanesReader
{
    public static LanesOptions Read(JsonElement section, ConfigReader problems, LaneGroupCache.Builder cache)
    {
        if (section.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return new LanesOptions();
        }

        var options = ConfigJson.ReadMembers<LanesOptions>(section, LanesOptions.SectionName, problems) ?? new LanesOptions();
        var path = LanesOptions.SectionName + ":" + nameof(LanesOptions.Groups);
        var groups = ConfigJson.Child(section, nameof(LanesOptions.Groups));
        if (!ConfigJson.IsObject(groups, path, problems))
        {
            return options;
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in groups.EnumerateObject())
        {
            if (!names.Add(property.Name))
            {
                problems.Report(path + ":" + property.Name, "appears twice (names are case-insensitive)");
                continue;
            }

            var json = ConfigJson.Raw(property.Value);
            if (cache.Reuse(property.Name, json) is not { } group)
            {
                group = ConfigJson.ReadMembers<LaneGroupOptions>(property.Value, path + ":" + property.Name, problems) ?? new LaneGroupOptions();
                group.Name = property.Name;
                cache.Read(property.Name, json, group);
            }

            options.Groups.Add(group);
        }

        return options;
    }
}
