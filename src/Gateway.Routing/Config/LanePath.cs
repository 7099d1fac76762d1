namespace Gateway.Routing.Config;

/// <summary>
/// Where in a lane group a problem is (the group, a lane, a condition kind of its <c>Match</c>, an item of that kind),
/// put into words only when a problem is reported: compiling thousands of clean groups builds no path strings.
/// </summary>
public readonly record struct LanePath(string Group, int Lane = -1, string? Kind = null, int Item = -1)
{
    /// <summary>A key under this place.</summary>
    public string At(string key) => ToString() + ":" + key;

    /// <summary>An item of a list under this place.</summary>
    public string At(string key, int index) => ConfigReader.Item(At(key), index);

    public override string ToString()
    {
        var path = LanesOptions.SectionName + ":Groups:" + Group;
        path = Lane < 0 ? path : ConfigReader.Item(path + ":Lanes", Lane);
        path = Kind is null ? path : path + ":Match:" + Kind;
        return Item < 0 ? path : ConfigReader.Item(path, Item);
    }
}
