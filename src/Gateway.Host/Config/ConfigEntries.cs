using System.Text.Json;
using Gateway.Routing.Config;

namespace Gateway.Host.Config;

/// <summary>
/// Routes or clusters by id, each kept with the JSON text it was read from. The next config reads only the entries
/// whose text changed and takes the very objects of the rest from here, so YARP (which compares what it gets with
/// what it runs) rebuilds only what changed, and its checks of the unchanged ones are a table lookup
/// (<see cref="ProxyConfigValidator"/>). Never changed once made: a reload that fails cannot spoil the set that serves.
/// </summary>
internal sealed class ConfigEntries<T>
    where T : class
{
    public static readonly ConfigEntries<T> Empty = new([], new(StringComparer.OrdinalIgnoreCase), 0);

    private readonly Dictionary<string, (string Id, byte[] Json, T Value)> _byId;

    private ConfigEntries(T[] items, Dictionary<string, (string Id, byte[] Json, T Value)> byId, int readAnew)
    {
        Items = items;
        _byId = byId;
        ReadAnew = readAnew;
    }

    /// <summary>The entries, in the order of the file.</summary>
    public IReadOnlyList<T> Items { get; }

    public IReadOnlyCollection<string> Ids => _byId.Keys;

    /// <summary>Entries read from their JSON, not taken from the previous set (reload log, tests).</summary>
    public int ReadAnew { get; }

    public bool Contains(string id) => _byId.ContainsKey(id);

    /// <summary>The entries of <paramref name="section"/>, those unchanged taken from this set (the very same <see cref="Items"/> when none changed).</summary>
    public ConfigEntries<T> Next(JsonElement section, string path, ConfigReader problems, Func<string, JsonElement, string, T> read)
    {
        var items = new List<T>();
        var byId = new Dictionary<string, (string Id, byte[] Json, T Value)>(StringComparer.OrdinalIgnoreCase);
        var readAnew = 0;
        var same = true;
        foreach (var (id, json, at) in ConfigJson.Entries(section, path, "ids", problems))
        {
            // The id is compared exactly: YARP keeps the id's spelling, so a route renamed only in case is a new route.
            var text = ConfigJson.Raw(json);
            if (!_byId.TryGetValue(id, out var entry) || entry.Id != id || !text.SequenceEqual(entry.Json))
            {
                entry = (id, text.ToArray(), read(id, json, at));
                readAnew++;
            }

            same &= items.Count < Items.Count && ReferenceEquals(Items[items.Count], entry.Value);
            byId.Add(id, entry);
            items.Add(entry.Value);
        }

        return new(same && readAnew == 0 && items.Count == Items.Count ? (T[])Items : [.. items], byId, readAnew);
    }
}
