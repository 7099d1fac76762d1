using Microsoft.Extensions.Configuration;

namespace Gateway.Routing.Config;

/// <summary>Reads the <c>Lanes</c> section into <see cref="LanesOptions"/>, reporting every malformed or unknown setting.</summary>
public static class LanesOptionsReader
{
    /// <summary>Reads the section; with <paramref name="cache"/>, a group whose JSON did not change is taken from the cache instead of read.</summary>
    public static LanesOptions Read(IConfigurationSection section, List<ConfigProblem> problems, LaneGroupCache.Builder? cache = null)
    {
        var reader = new ConfigReader(problems);
        var options = new LanesOptions();
        reader.CheckKeys(section, "TagHeader", "DestinationTagKey", "ServedLaneHeader", "Baggage", "IncomingTag", "ClientIp", "Groups");
        options.TagHeader = reader.String(section, "TagHeader") ?? options.TagHeader;
        options.DestinationTagKey = reader.String(section, "DestinationTagKey") ?? options.DestinationTagKey;

        if (section.GetSection("ServedLaneHeader").Exists())
        {
            options.ServedLaneHeader = reader.String(section, "ServedLaneHeader");
        }

        var baggage = section.GetSection("Baggage");
        reader.CheckKeys(baggage, "Enabled", "Key");
        options.Baggage.Enabled = reader.Bool(baggage, "Enabled") ?? options.Baggage.Enabled;
        options.Baggage.Key = reader.String(baggage, "Key") ?? options.Baggage.Key;

        var incoming = section.GetSection("IncomingTag");
        reader.CheckKeys(incoming, "Trust", "TrustedNetworks");
        options.IncomingTag.Trust = reader.Enum<IncomingTagTrust>(incoming, "Trust") ?? IncomingTagTrust.None;
        options.IncomingTag.TrustedNetworks = reader.Strings(incoming, "TrustedNetworks");

        var clientIp = section.GetSection("ClientIp");
        reader.CheckKeys(clientIp, "TrustedProxies", "CityHeader", "CityDatabase");
        options.ClientIp.TrustedProxies = reader.Strings(clientIp, "TrustedProxies");
        if (clientIp.GetSection("CityHeader").Exists())
        {
            // An explicit empty value switches the header off.
            options.ClientIp.CityHeader = reader.String(clientIp, "CityHeader");
        }

        options.ClientIp.CityDatabase = reader.String(clientIp, "CityDatabase");

        foreach (var group in section.GetSection("Groups").GetChildren())
        {
            if (cache is not null && group is IJsonSection json)
            {
                if (cache.Reuse(group.Key, json.Json) is not { } unchanged)
                {
                    unchanged = ReadGroup(reader, group);
                    cache.Read(group.Key, json.Json, unchanged);
                }

                options.Groups.Add(unchanged);
                continue;
            }

            options.Groups.Add(ReadGroup(reader, group));
        }

        return options;
    }

    private static LaneGroupOptions ReadGroup(ConfigReader reader, IConfigurationSection section)
    {
        reader.CheckKeys(section, "Routes", "Lanes");
        return new LaneGroupOptions
        {
            Name = section.Key,
            Routes = reader.Strings(section, "Routes"),
            Lanes = reader.Objects(section, "Lanes", ReadLane),
        };
    }

    private static LaneOptions ReadLane(ConfigReader reader, IConfigurationSection section)
    {
        reader.CheckKeys(section, "Name", "Tag", "Match", "Percentage", "StickyKey", "Fallback", "IssueCookie", "IssueCookieMaxAgeDays");
        var match = ConfigReader.Find(section, "Match");
        return new LaneOptions
        {
            Name = reader.String(section, "Name") ?? "",
            Tag = reader.String(section, "Tag") ?? "",
            Percentage = reader.Double(section, "Percentage"),
            StickyKey = reader.String(section, "StickyKey"),
            Fallback = reader.Enum<LaneFallback>(section, "Fallback") ?? LaneFallback.Baseline,
            Match = match is not null && match.Exists() ? ReadMatch(reader, match) : null,
            IssueCookie = reader.Bool(section, "IssueCookie") ?? false,
            IssueCookieMaxAgeDays = reader.Double(section, "IssueCookieMaxAgeDays"),
        };
    }

    private static MatchOptions ReadMatch(ConfigReader reader, IConfigurationSection section)
    {
        reader.CheckKeys(section, "Headers", "Cookies", "Query", "ClientNetworks", "Cities", "Path", "Methods");
        var path = ConfigReader.Find(section, "Path");
        return new MatchOptions
        {
            Headers = reader.Objects(section, "Headers", ReadValueCondition),
            Cookies = reader.Objects(section, "Cookies", ReadValueCondition),
            Query = reader.Objects(section, "Query", ReadValueCondition),
            ClientNetworks = reader.Strings(section, "ClientNetworks"),
            Cities = reader.Strings(section, "Cities"),
            Path = path is not null && path.Exists() ? ReadPath(reader, path) : null,
            Methods = reader.Strings(section, "Methods"),
        };
    }

    private static ValueConditionOptions ReadValueCondition(ConfigReader reader, IConfigurationSection section)
    {
        reader.CheckKeys(section, "Name", "Mode", "Values", "IgnoreCase", "Not");
        return new ValueConditionOptions
        {
            Name = reader.String(section, "Name") ?? "",
            Mode = reader.Enum<MatchMode>(section, "Mode") ?? MatchMode.Exact,
            Values = reader.Strings(section, "Values"),
            IgnoreCase = reader.Bool(section, "IgnoreCase") ?? false,
            Not = reader.Bool(section, "Not") ?? false,
        };
    }

    private static PathConditionOptions ReadPath(ConfigReader reader, IConfigurationSection section)
    {
        reader.CheckKeys(section, "Mode", "Values");
        return new PathConditionOptions
        {
            Mode = reader.Enum<PathMatchMode>(section, "Mode") ?? PathMatchMode.Exact,
            Values = reader.Strings(section, "Values"),
        };
    }
}
