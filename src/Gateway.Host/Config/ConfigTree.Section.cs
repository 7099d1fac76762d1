using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Gateway.Routing.Config;
using Microsoft.Extensions.Primitives;

namespace Gateway.Host.Config;

internal sealed partial class ConfigTree
{
    /// <summary>
    /// One key of the document, or a key that is not there (no value, no children), as a configuration section.
    /// Readers ask a section for several keys in a row, so it lists its children once. A large object (the routes,
    /// the clusters, the lane groups) does not keep the list it enumerates: a reader walking ten thousand routes holds
    /// one route at a time, and the garbage collector never has to copy a whole tree.
    /// </summary>
    private sealed class Section(JsonElement element, string key, Section? parent, string? path = null) : IConfigurationSection, IJsonSection
    {
        private static readonly Section[] None = [];

        private static readonly Comparison<Section> ByKey = static (a, b) => CompareKeys(a.Key, b.Key);

        private string? _path = path;
        private Section[]? _children;
        private Dictionary<string, Section>? _byKey;

        public JsonElement Element => element;

        public ReadOnlySpan<byte> Json => element.ValueKind == JsonValueKind.Undefined ? default : JsonMarshal.GetRawUtf8Value(element);

        public string Key => key;

        /// <summary>Made when asked for: a reader walking ten thousand routes asks for few of their paths.</summary>
        public string Path => _path ??= parent is not null ? ConfigPath(parent.Path, key) : key;

        /// <summary>The path with array items as <c>Lanes[2]</c>; made only for a problem, so not kept.</summary>
        public string ProblemPath => parent switch
        {
            null => Path,
            { Element.ValueKind: JsonValueKind.Array } => parent.ProblemPath + "[" + key + "]",
            _ => ConfigPath(parent.ProblemPath, key),
        };

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

        IConfigurationSection? IJsonSection.Child(string key) => Find(key);

        public IConfigurationSection GetSection(string key)
        {
            if (Find(key) is { } found)
            {
                return found;
            }

            // A key the object does not have: readers ask for many (every optional setting), so its path waits too.
            var last = key.LastIndexOf(ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);
            return last < 0 ? new Section(default, key, this) : new Section(default, key[(last + 1)..], null, ConfigPath(Path, key));
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
                    yield return new Section(item, index++.ToString(CultureInfo.InvariantCulture), this);
                }

                yield break;
            }

            var names = new string[element.GetPropertyCount()];
            var values = new JsonElement[names.Length];
            var count = 0;
            var numbers = false;
            foreach (var property in element.EnumerateObject())
            {
                names[count] = property.Name;
                values[count++] = property.Value;
                numbers |= names[count - 1] is [>= '0' and <= '9', ..];
            }

            // Keys that are all names (routes, clusters, groups) sort as plain case-insensitive strings.
            Array.Sort(names, values, numbers ? KeyOrder.Instance : StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < count; i++)
            {
                yield return new Section(values[i], names[i], this);
            }
        }

        public IChangeToken GetReloadToken() => NeverChanges;

        private Section[] BuildChildren()
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    var properties = new Section[element.GetPropertyCount()];
                    var count = 0;
                    foreach (var property in element.EnumerateObject())
                    {
                        properties[count++] = new Section(property.Value, property.Name, this);
                    }

                    Array.Sort(properties, ByKey);
                    return properties;
                case JsonValueKind.Array:
                    var items = new Section[element.GetArrayLength()];
                    var index = 0;
                    foreach (var item in element.EnumerateArray())
                    {
                        items[index] = new Section(item, index.ToString(CultureInfo.InvariantCulture), this);
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
}
