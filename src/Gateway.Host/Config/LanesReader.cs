using System.Text.Json;
using Gateway.Routing.Config;

namespace Gateway.Host.Config;

/// <summary>
/// Reads the <c>Lanes</c> section into <see cref="LanesOptions"/>: the options records are the schema. Each lane group
/// is read on its own, so every broken group is reported, and a group whose text did not change is taken from the
/// serving config as the same object, whose compiled rules are then reused too.
/// </summary>
internal static class LanesReader
{
    public static (LanesOptions Options, ConfigEntries<LaneGroupOptions> Groups) Read(JsonElement section, ConfigReader problems, ConfigEntries<LaneGroupOptions> previous)
    {
        var options = ConfigJson.ReadMembers<LanesOptions>(section, LanesOptions.SectionName, problems, skip: nameof(LanesOptions.Groups));
        var groups = previous.Next(ConfigJson.Child(section, nameof(LanesOptions.Groups)), LanesOptions.SectionName + ":" + nameof(LanesOptions.Groups), "names", problems, (name, json, path) =>
        {
            var group = ConfigJson.Read<LaneGroupOptions>(json, path, problems);
            ConfigJson.KeyInside(group?.Name, path + ":" + nameof(LaneGroupOptions.Name), problems);
            group?.Name = name;
            return group;
        });
        options.Groups.AddRange(groups.Items);
        return (options, groups);
    }
}
