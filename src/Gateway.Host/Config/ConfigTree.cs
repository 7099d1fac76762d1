using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gateway.Routing.Config;
using Microsoft.Extensions.Primitives;

namespace Gateway.Host.Config;

/// <summary>
/// A parsed gateway config, read through the <see cref="IConfiguration"/> interface straight from its JSON document.
/// <see cref="IConfigurationRoot"/> answers every <c>GetChildren()</c> by scanning all keys of every provider, so
/// walking a config of N keys costs O(N²): reading a 10,000-route file that way took 43 s. A tree of one object per key
/// fixed that but left the garbage collector copying hundreds of thousands of long-lived nodes on every reload. Here the
/// document (two large arrays) is the only thing kept; sections are small views made when asked for and dropped.
/// Meaning follows <c>AddJsonFile</c>: comments and trailing commas are allowed, keys are case-insensitive, array items
/// are keyed 0, 1, ..., children come in the configuration system's order, values read as the JSON provider stores
/// them (null and an empty object as no value, an empty array as "", true as "True"). Stricter than it, a key that appears twice in one object is an error (the JSON provider
/// merges objects and keeps the last), and so is a ':' inside a key of the routes or lanes.
/// </summary>
internal sealed class ConfigTree : IConfiguration
{
    /// <summary>Objects up to this size are checked for repeated keys pairwise and searched by a scan; larger ones with a set.</summary>
    private const int SmallObject = 16;

    private static readonly IChangeToken NeverChanges = new CancellationChangeToken(CancellationToken.None);

    private static readonly JsonDocumentOptions JsonOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };


    private readonly Section _root;

    private ConfigTree(JsonElement root, string revision)
    {
        _root = new Section(root, string.Empty, null);
        Revision = revision;
    }

    /// <summary>A short hash of the file's bytes: the same file gets the same revision on every replica.</summary>
    public string Revision { get; }

    /// <summary>Parses JSON config bytes; throws <see cref="JsonException"/> or <see cref="FormatException"/> for text that is not config JSON.</summary>
    public static ConfigTree Parse(byte[] content)
    {
        // The document is never disposed: sections may be read for as long as the config serves, and its pooled
        // arrays are simply collected with it.
        var document = JsonDocument.Parse(content, JsonOptions);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("the top-level JSON element must be an object, found " + root.ValueKind);
        }

        try
        {
            Check(root, routing: false, top: true);
        }
        catch (KeyProblem problem)
        {
            throw new FormatException(problem.Message);
        }

        return new ConfigTree(root, Convert.ToHexStringLower(SHA256.HashData(content))[..12]);
    }

    public string? this[string key]
    {
        get => _root[key];
        set => throw ReadOnly();
    }

    public IConfigurationSection GetSection(string key) => _root.GetSection(key);

    public IEnumerable<IConfigurationSection> GetChildren() => _root.GetChildren();

    public IChangeToken GetReloadToken() => NeverChanges;

    /// <summary>True when the top-level section <paramref name="name"/> has the same JSON text in both configs (or is missing from both).</summary>
    public bool SameSection(ConfigTree other, string name)
    {
        var mine = ((Section)GetSection(name)).Element;
        var theirs = ((Section)other.GetSection(name)).Element;
        if (mine.ValueKind == JsonValueKind.Undefined || theirs.ValueKind == JsonValueKind.Undefined)
        {
            return mine.ValueKind == theirs.ValueKind;
        }

        return JsonMarshal.GetRawUtf8Value(mine).SequenceEqual(JsonMarshal.GetRawUtf8Value(theirs));
    }

    /// <summary>Every key with a value (an empty object or array: no value) outside the given top-level sections, flattened as the JSON provider flattens.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Pairs(params string[] exceptSections)
    {
        var pairs = new List<KeyValuePair<string, string?>>();
        foreach (var property in _root.Element.EnumerateObject())
        {
            if (!exceptSections.Contains(property.Name, StringComparer.OrdinalIgnoreCase))
            {
                Flatten(property.Value, property.Name, pairs);
            }
        }

        return pairs;
    }

    private static void Flatten(JsonElement element, string path, List<KeyValuePair<string, string?>> pairs)
    {
        var empty = true;
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    empty = false;
                    Flatten(property.Value, path + ConfigurationPath.KeyDelimiter + property.Name, pairs);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    empty = false;
                    Flatten(item, path + ConfigurationPath.KeyDelimiter + index++.ToString(CultureInfo.InvariantCulture), pairs);
                }

                break;
            default:
                pairs.Add(new(path, ValueOf(element)));
                return;
        }

        if (empty)
        {
            pairs.Add(new(path, ValueOf(element)));
        }
    }

    /// <summary>
    /// Rejects what the configuration system would read differently from the JSON: a key twice in one object (keys
    /// are case-insensitive), and ':' in route and lane keys. Works on the raw UTF-8 names, so checking a large config
    /// allocates next to nothing; the path of a bad key is put together only while the error unwinds.
    /// </summary>
    private static void Check(JsonElement element, bool routing, bool top)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var item in element.EnumerateArray())
            {
                try
                {
                    Check(item, routing, top: false);
                }
                catch (KeyProblem problem)
                {
                    throw problem.Under(index.ToString(CultureInfo.InvariantCulture));
                }

                index++;
            }

            return;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var count = 0;
        var escaped = false;
        foreach (var property in element.EnumerateObject())
        {
            var name = JsonMarshal.GetRawUtf8PropertyName(property);
            escaped |= name.Contains((byte)'\\');
            var childRouting = routing || (top && (Ascii.EqualsIgnoreCase(name, "ReverseProxy"u8) || Ascii.EqualsIgnoreCase(name, "Lanes"u8)));
            if (childRouting && name.Contains((byte)':'))
            {
                throw new KeyProblem(property.Name, "contains ':'; write nested objects instead");
            }

            try
            {
                Check(property.Value, childRouting, top: false);
            }
            catch (KeyProblem problem)
            {
                throw problem.Under(property.Name);
            }

            count++;
        }

        if (count > 1)
        {
            CheckDuplicates(element, count <= SmallObject && !escaped);
        }
    }

    private static void CheckDuplicates(JsonElement element, bool pairwise)
    {
        if (pairwise)
        {
            var i = 0;
            foreach (var property in element.EnumerateObject())
            {
                var name = JsonMarshal.GetRawUtf8PropertyName(property);
                var j = 0;
                foreach (var earlier in element.EnumerateObject())
                {
                    if (j++ == i)
                    {
                        break;
                    }

                    if (Ascii.EqualsIgnoreCase(name, JsonMarshal.GetRawUtf8PropertyName(earlier)))
                    {
                        throw new KeyProblem(property.Name, "appears twice (keys are case-insensitive)");
                    }
                }

                i++;
            }

            return;
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in element.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                throw new KeyProblem(property.Name, "appears twice (keys are case-insensitive)");
            }
        }
    }

    /// <summary>A value as the JSON provider stores it: null for null and objects, "" for an empty array, JSON's text otherwise (true is "True").</summary>
    private static string? ValueOf(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object or JsonValueKind.Undefined or JsonValueKind.Null => null,
        JsonValueKind.Array => element.GetArrayLength() == 0 ? string.Empty : null,
        _ => element.ToString(),
    };

    private static string ConfigPath(string path, string key) => path.Length == 0 ? key : path + ConfigurationPath.KeyDelimiter + key;

    private static NotSupportedException ReadOnly() => new("a parsed config is read-only");

    /// <summary>The configuration system's key order: numbers by value and before names, names case-insensitively.</summary>
    private static int CompareKeys(string a, string b)
    {
        var aIsNumber = int.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out var aNumber);
        var bIsNumber = int.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var bNumber);
        return (aIsNumber, bIsNumber) switch
        {
            (true, true) => aNumber.CompareTo(bNumber),
            (true, false) => -1,
            (false, true) => 1,
            _ => string.Compare(a, b, StringComparison.OrdinalIgnoreCase),
        };
    }

    /// <summary>
    /// One key of the document, or a key that is not there (no value, no children), as a configuration section.
    /// Readers ask a section for several keys in a row, so it lists its children once. A large object (the routes,
    /// the clusters, the lane groups) does not keep the list it enumerates: a reader walking ten thousand routes holds
    /// one route at a time, and the garbage collector never has to copy a whole tree.
    /// </summary>
    private sealed class Section(JsonElement element, string key, string? parentPath) : IConfigurationSection, IJsonSection
    {
        private static readonly Section[] None = [];

        private string? _path;
        private Section[]? _children;
        private Dictionary<string, Section>? _byKey;

        public JsonElement Element => element;

        public ReadOnlySpan<byte> Json => element.ValueKind == JsonValueKind.Undefined ? default : JsonMarshal.GetRawUtf8Value(element);

        public string Key => key;

        public string Path => _path ??= string.IsNullOrEmpty(parentPath) ? key : parentPath + ConfigurationPath.KeyDelimiter + key;

        public string? Value
        {
            get => ValueOf(element);
            set => throw ReadOnly();
        }

        public string? this[string key]
        {
            get => Find(key)?.Value;
            set => throw ReadOnly();
        }

        public IConfigurationSection GetSection(string key)
        {
            if (Find(key) is { } found)
            {
                return found;
            }

            var last = key.LastIndexOf(ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);
            return new Section(default, last < 0 ? key : key[(last + 1)..], last < 0 ? Path : ConfigPath(Path, key[..last]));
        }

        public IEnumerable<IConfigurationSection> GetChildren()
        {
            if (_children is not null)
            {
                return _children;
            }

            var count = element.ValueKind switch
            {
                JsonValueKind.Object => element.GetPropertyCount(),
                JsonValueKind.Array => element.GetArrayLength(),
                _ => 0,
            };
            return count <= SmallObject ? _children = BuildChildren() : Stream();
        }

        /// <summary>A large object's or array's children made one at a time, as the reader walks them.</summary>
        private IEnumerable<IConfigurationSection> Stream()
        {
            if (element.ValueKind == JsonValueKind.Array)
            {
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    yield return new Section(item, index++.ToString(CultureInfo.InvariantCulture), Path);
                }

                yield break;
            }

            var properties = element.EnumerateObject().Select(property => (property.Name, property.Value)).ToArray();
            Array.Sort(properties, static (a, b) => CompareKeys(a.Name, b.Name));
            foreach (var (name, value) in properties)
            {
                yield return new Section(value, name, Path);
            }
        }

        public IChangeToken GetReloadToken() => NeverChanges;

        private Section[] BuildChildren()
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    var properties = new List<Section>();
                    foreach (var property in element.EnumerateObject())
                    {
                        properties.Add(new Section(property.Value, property.Name, Path));
                    }

                    properties.Sort(static (a, b) => CompareKeys(a.Key, b.Key));
                    return [.. properties];
                case JsonValueKind.Array:
                    var items = new Section[element.GetArrayLength()];
                    var index = 0;
                    foreach (var item in element.EnumerateArray())
                    {
                        items[index] = new Section(item, index.ToString(CultureInfo.InvariantCulture), Path);
                        index++;
                    }

                    return items;
                default:
                    return None;
            }
        }

        private Section[] Children()
        {
            if (_children is not null)
            {
                return _children;
            }

            _children = BuildChildren();
            if (_children.Length > SmallObject)
            {
                _byKey = new Dictionary<string, Section>(_children.Length, StringComparer.OrdinalIgnoreCase);
                foreach (var child in _children)
                {
                    _byKey.TryAdd(child.Key, child);
                }
            }

            return _children;
        }

        private Section? Find(string key)
        {
            var node = this;
            var rest = key.AsSpan();
            while (true)
            {
                var end = rest.IndexOf(ConfigurationPath.KeyDelimiter[0]);
                node = node.Child(end < 0 ? rest : rest[..end]);
                if (node is null || end < 0)
                {
                    return node;
                }

                rest = rest[(end + 1)..];
            }
        }

        private Section? Child(ReadOnlySpan<char> childKey)
        {
            var children = Children();
            if (_byKey is not null)
            {
                return _byKey.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(childKey, out var found) ? found : null;
            }

            foreach (var child in children)
            {
                if (childKey.Equals(child.Key, StringComparison.OrdinalIgnoreCase))
                {
                    return child;
                }
            }

            return null;
        }
    }

    /// <summary>A bad key, with its path growing as the check unwinds.</summary>
    private sealed class KeyProblem(string path, string problem) : Exception("key '" + path + "' " + problem)
    {
        public KeyProblem Under(string parent) => new(parent + ConfigurationPath.KeyDelimiter + path, problem);
    }
}
