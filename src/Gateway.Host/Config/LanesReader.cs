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
        var options = ConfigJson.ReadMembers<LanesOptions>(section, LanesOptions.SectionName, problems, skip: nameof(LanesOptions.Groups));
        var groups = ConfigJson.Child(section, nameof(LanesOptions.Groups));
        foreach (var (name, json, path) in ConfigJson.Entries(groups, LanesOptions.SectionName + ":" + nameof(LanesOptions.Groups), "names", problems))
        {
            var text = ConfigJson.Raw(json);
            if (cache.Reuse(name, text) is not { } group)
            {
                if (ConfigJson.Read<LaneGroupOptions>(json, path, problems) is not { } read)
                {
                    continue;
                }

                ConfigJson.KeyInside(read.Name, path + ":" + nameof(LaneGroupOptions.Name), problems);
                group = read;
                group.Name = name;
                cache.Read(name, text, group);
            }

            options.Groups.Add(group);
        }

        return options;
    }
}
