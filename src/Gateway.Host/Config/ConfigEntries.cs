using System.Text.Json;
using Gateway.Routing.Config;

namespace Gateway.Host.Config;

/// <summary>
/// Routes, clusters or lane groups by key, each kept with a 128-bit hash of its JSON text, not a copy (one object fewer
/// per entry to promote after a large load). The next config reads only the entries whose text changed and takes the
/// very objects of the rest from here: YARP rebuilds only the routes that changed, only changed lane groups are compiled
/// (<see cref="LaneGroupOptions.Compiled"/>). Never changed once made: a reload that fails cannot spoil the set that serves.
/// </summary>
internal sealed class ConfigEntries<T>(T[] items, Dictionary<string, (string Id, UInt128 Hash, T Value)> byId, int readAnew)
    where T : class
{
    public static readonly ConfigEntries<T> Empty = new([], new(StringComparer.OrdinalIgnoreCase), 0);

    /// <summary>The entries, in the order of the file.</summary>
    public IReadOnlyList<T> Items => items;

    public IReadOnlyCollection<string> Ids => byId.Keys;

    /// <summary>Entries read from their JSON, not taken from the previous set (reload log, tests).</summary>
    public int ReadAnew => readAnew;

    public bool Contains(string id) => byId.ContainsKey(id);

    /// <summary>
    /// The entries of <paramref name="section"/>, those unchanged taken from this set (the very same <see cref="Items"/>
    /// when none changed); an entry <paramref name="read"/> gives no object for has reported why.
    /// </summary>
    public ConfigEntries<T> Next(JsonElement section, string path, string keys, ConfigReader problems, Func<string, JsonElement, string, T?> read)
    {
        // Sized up front: 10,000 entries grown from empty leave a megabyte of large-object garbage per reload.
        var count = section.ValueKind == JsonValueKind.Object ? section.GetPropertyCount() : 0;
        var next = new List<T>(count);
        var nextById = new Dictionary<string, (string Id, UInt128 Hash, T Value)>(count, StringComparer.OrdinalIgnoreCase);
        var nextReadAnew = 0;
        var same = true;
        foreach (var (id, json, at) in ConfigJson.Entries(section, path, keys, problems))
        {
            // The key is compared exactly: YARP keeps the id's spelling, so a route renamed only in case is a new route.
            var hash = System.IO.Hashing.XxHash128.HashToUInt128(ConfigJson.Raw(json));
            if (!byId.TryGetValue(id, out var entry) || entry.Id != id || hash != entry.Hash)
            {
                nextReadAnew++;
                if (read(id, json, at) is not { } value)
                {
                    continue;
                }

                entry = (id, hash, value);
            }

            same &= next.Count < items.Length && ReferenceEquals(items[next.Count], entry.Value);
            nextById.Add(id, entry);
            next.Add(entry.Value);
        }

        return new(same && next.Count == items.Length ? items : [.. next], nextById, nextReadAnew);
    }
}
