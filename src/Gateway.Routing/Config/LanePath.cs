using System.Globalization;

namespace Gateway.Routing.Config;

/// <summary>
/// Where in a lane group a problem is (the group, a lane, a list of its <c>Match</c>, an item of that list), put into
/// words only when one is reported. Compiling 10,000 clean groups reports nothing, and building every lane's and
/// condition's path up front was most of the compiler's garbage.
/// </summary>
public readonly record struct LanePath
{
    private readonly string _group;
    private readonly int _lane;
    private readonly string? _list;
    private readonly int _item;

    public LanePath(string group)
        : this(group, -1, null, -1)
    {
    }

    private LanePath(string group, int lane, string? list, int item)
    {
        _group = group;
        _lane = lane;
        _list = list;
        _item = item;
    }

    /// <summary><c>Lanes[index]</c> of the group.</summary>
    public LanePath Lane(int index) => new(_group, index, null, -1);

    /// <summary><c>Match:name</c> of the lane (Headers, Cookies, Query, ClientNetworks, Cities).</summary>
    public LanePath MatchList(string name) => new(_group, _lane, name, -1);

    /// <summary>Item <paramref name="index"/> of the <see cref="MatchList"/>.</summary>
    public LanePath Item(int index) => new(_group, _lane, _list, index);

    /// <summary>A key under this place.</summary>
    public string At(string key) => ToString() + ":" + key;

    /// <summary>An item of a list under this place.</summary>
    public string At(string key, int index) => ConfigReader.Item(At(key), index);

    public override string ToString()
    {
        var path = LanesOptions.SectionName + ":Groups:" + _group;
        if (_lane >= 0)
        {
            path += ":Lanes[" + _lane.ToString(CultureInfo.InvariantCulture) + "]";
        }

        if (_list is not null)
        {
            path += ":Match:" + _list;
        }

        return _item >= 0 ? ConfigReader.Item(path, _item) : path;
    }
}
