using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
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
/// them (null and an empty object as no value, an empty array as "", true as "True"). Stricter than it, a key that
/// appears twice in one object is an error (the JSON provider merges objects and keeps the last), and so is a ':'
/// inside a key of the routes or lanes (<c>ConfigTree.Check.cs</c>). Sections: <c>ConfigTree.Section.cs</c>.
/// </summary>
internal sealed partial class ConfigTree : IConfiguration
{
    /// <summary>Objects up to this size are checked for repeated keys pairwise and searched by a scan; larger ones with a set.</summary>
    private const int SmallObject = 16;

    private static readonly IChangeToken NeverChanges = new CancellationChangeToken(CancellationToken.None);

    private static readonly JsonDocumentOptions JsonOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private readonly Section _root;
    private readonly JsonDocument _document;

    private ConfigTree(JsonDocument document, string revision)
    {
        _document = document;
        _root = new Section(document.RootElement, string.Empty, null);
        Revision = revision;
    }

    /// <summary>A short hash of the file's bytes: the same file gets the same revision on every replica.</summary>
    public string Revision { get; }

    /// <summary>Parses JSON config bytes; throws <see cref="JsonException"/> or <see cref="FormatException"/> for text that is not config JSON.</summary>
    public static ConfigTree Parse(byte[] content)
    {
        // The document's index of the JSON is a pooled array, as large as the file: Release gives it back.
        var document = JsonDocument.Parse(content, JsonOptions);
        var root = document.RootElement;
        try
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("the top-level JSON element must be an object, found " + root.ValueKind);
            }

            Check(root, routing: false, top: true);
        }
        catch (KeyProblem problem)
        {
            document.Dispose();
            throw new FormatException(problem.Message);
        }
        catch
        {
            document.Dispose();
            throw;
        }

        return new ConfigTree(document, Convert.ToHexStringLower(SHA256.HashData(content))[..12]);
    }

    /// <summary>
    /// Gives the JSON document's pooled index back, after which nothing may read this tree. Without it every reload
    /// of a large config left an index as large as the file (8 MB for a 4.4 MB file) to the large-object heap, and
    /// with the file's own bytes that started a full collection after about every other reload (docs/performance.md,
    /// step 11). The config watcher calls it for a config that failed or that a newer one replaced, being the only
    /// holder of such a tree (the settings provider copies its values, the proxy and lane readers copy what they
    /// keep); the reload warm-up for its throw-away configs.
    /// </summary>
    public void Release() => _document.Dispose();

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

    /// <summary>A value as the JSON provider stores it: null for null and objects, "" for an empty array, JSON's text otherwise (true is "True").</summary>
    private static string? ValueOf(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object or JsonValueKind.Undefined or JsonValueKind.Null => null,
        JsonValueKind.Array => element.GetArrayLength() == 0 ? string.Empty : null,
        _ => element.ToString(),
    };

    private static string ConfigPath(string path, string key) => path.Length == 0 ? key : path + ConfigurationPath.KeyDelimiter + key;

    private static NotSupportedException ReadOnly() => new("a parsed config is read-only");

    /// <summary><see cref="CompareKeys"/> as a comparer.</summary>
    private sealed class KeyOrder : IComparer<string>
    {
        public static readonly KeyOrder Instance = new();

        public int Compare(string? a, string? b) => CompareKeys(a!, b!);
    }

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
}
