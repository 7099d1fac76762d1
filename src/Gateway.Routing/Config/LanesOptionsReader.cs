using Microsoft.Extensions.Configuration;

namespace Gateway.Routing.Config;

/// <summary>Reads the <c>Lanes</c> section into <see cref="LanesOptions"/>, reporting every malformed or unknown setting.</summary>
public static class LanesOptionsReader
{
    /// <summary>Reads the section; with <paramref name="cache"/>, a group whose JSON did not change is taken from the cache instead of read.</summary>
    public static LanesOptions Read(IConfigurationSection section, List<ConfigProblem> problems, LaneGroupCache.Builder? cache = null)
    {
        var reader = new ConfigReader(problems);
        var path = section.Path;
        var options = new LanesOptions();
        reader.CheckKeys(section, path, "TagHeader", "DestinationTagKey", "ServedLaneHeader", "IncomingTag", "ClientIp", "Groups");
        options.TagHeader = reader.String(section, "TagHeader", path) ?? options.TagHeader;
        options.DestinationTagKey = reader.String(section, "DestinationTagKey", path) ?? options.DestinationTagKey;

        if (section.GetSection("ServedLaneHeader").Exists())
        {
            options.ServedLaneHeader = reader.String(section, "ServedLaneHeader", path);
        }

        var incoming = section.GetSection("IncomingTag");
        var incomingPath = ConfigReader.Child(path, "IncomingTag");
        reader.CheckKeys(incoming, incomingPath, "Trust", "TrustedNetworks");
        options.IncomingTag.Trust = reader.Enum<IncomingTagTrust>(incoming, "Trust", incomingPath) ?? IncomingTagTrust.None;
        options.IncomingTag.TrustedNetworks = reader.Strings(incoming, "TrustedNetworks", incomingPath);

        var clientIp = section.GetSection("ClientIp");
        var clientIpPath = ConfigReader.Child(path, "ClientIp");
        reader.CheckKeys(clientIp, clientIpPath, "TrustedProxies", "CityHeader", "CityDatabase");
        options.ClientIp.TrustedProxies = reader.Strings(clientIp, "TrustedProxies", clientIpPath);
        if (clientIp.GetSection("CityHeader").Exists())
        {
            // An explicit empty value switches the header off.
            options.ClientIp.CityHeader = reader.String(clientIp, "CityHeader", clientIpPath);
        }

        options.ClientIp.CityDatabase = reader.String(clientIp, "CityDatabase", clientIpPath);

        var groupsPath = ConfigReader.Child(path, "Groups");
        foreach (var group in section.GetSection("Groups").GetChildren())
        {
            if (cache is not null && group is IJsonSection json)
            {
                if (cache.Reuse(group.Key, json.Json) is not { } unchanged)
                {
                    unchanged = ReadGroup(reader, group, ConfigReader.Child(groupsPath, group.Key));
                    cache.Read(group.Key, json.Json, unchanged);
                }

                options.Groups.Add(unchanged);
                continue;
            }

            options.Groups.Add(ReadGroup(reader, group, ConfigReader.Child(groupsPath, group.Key)));
        }

        return options;
    }

    private static LaneGroupOptions ReadGroup(ConfigReader reader, IConfigurationSection section, string path)
    {
        reader.CheckKeys(section, path, "Routes", "Lanes");
        return new LaneGroupOptions
        {
            Name = section.Key,
            Routes = reader.Strings(section, "Routes", path),
            Lanes = reader.Objects(section, "Lanes", path, (lane, lanePath) => ReadLane(reader, lane, lanePath)),
        };
    }

    private static LaneOptions ReadLane(ConfigReader reader, IConfigurationSection section, string path)
    {
        reader.CheckKeys(section, path, "Name", "Tag", "Match", "Percentage", "StickyKey", "Fallback");
        var match = section.GetSection("Match");
        return new LaneOptions
        {
            Name = reader.String(section, "Name", path) ?? "",
            Tag = reader.String(section, "Tag", path) ?? "",
            Percentage = reader.Double(section, "Percentage", path),
            StickyKey = reader.String(section, "StickyKey", path),
            Fallback = reader.Enum<LaneFallback>(section, "Fallback", path) ?? LaneFallback.Baseline,
            Match = match.Exists() ? ReadMatch(reader, match, ConfigReader.Child(path, "Match")) : null,
        };
    }

    private static MatchOptions ReadMatch(ConfigReader reader, IConfigurationSection section, string path)
    {
        reader.CheckKeys(section, path, "Headers", "Cookies", "Query", "ClientNetworks", "Cities");
        return new MatchOptions
        {
            Headers = reader.Objects(section, "Headers", path, (c, p) => ReadValueCondition(reader, c, p)),
            Cookies = reader.Objects(section, "Cookies", path, (c, p) => ReadValueCondition(reader, c, p)),
            Query = reader.Objects(section, "Query", path, (c, p) => ReadValueCondition(reader, c, p)),
            ClientNetworks = reader.Strings(section, "ClientNetworks", path),
            Cities = reader.Strings(section, "Cities", path),
        };
    }

    private static ValueConditionOptions ReadValueCondition(ConfigReader reader, IConfigurationSection section, string path)
    {
        reader.CheckKeys(section, path, "Name", "Mode", "Values", "IgnoreCase");
        return new ValueConditionOptions
        {
            Name = reader.String(section, "Name", path) ?? "",
            Mode = reader.Enum<MatchMode>(section, "Mode", path) ?? MatchMode.Exact,
            Values = reader.Strings(section, "Values", path),
            IgnoreCase = reader.Bool(section, "IgnoreCase", path) ?? false,
        };
    }
}
