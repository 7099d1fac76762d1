using System.Collections.Frozen;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Configuration;

namespace Gateway.Routing.Config;

/// <summary>
/// Reads configuration sections by hand so that every problem is reported at once with its path, which
/// <c>ConfigurationBinder</c> cannot do (it throws on the first bad value and ignores misspelt keys).
/// Array items are shown as <c>Lanes[2]</c> rather than the configuration system's <c>Lanes:2</c>. A path is put into
/// words only when a problem is reported: reading a clean 10,000-route config used to build hundreds of thousands of
/// path strings nobody read.
/// </summary>
public sealed class ConfigReader
{
    /// <summary>Values up to this long are shared (<see cref="Shared"/>); longer ones are rarely repeated.</summary>
    private const int SharedLength = 64;

    private readonly List<ConfigProblem> _problems;

    private readonly Dictionary<string, string> _shared = new(StringComparer.Ordinal);

    public ConfigReader(List<ConfigProblem> problems) => _problems = problems;

    /// <summary>Problems reported so far (a caller compares counts to tell whether one part read cleanly).</summary>
    public int ProblemCount => _problems.Count;

    public void Report(string path, string message) => _problems.Add(new ConfigProblem(path, message));

    public static string Child(string path, string key) => path.Length == 0 ? key : path + ":" + key;

    public static string Item(string path, int index) => path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";

    /// <summary>
    /// The one copy of a short value this reader has returned. A large config repeats its tags, header names, condition
    /// values and addresses thousands of times; every copy the options and YARP's objects keep is one more object each
    /// garbage collection of the reload has to copy (a 10,000-route config kept 170,000 duplicate strings).
    /// </summary>
    public string Shared(string value)
    {
        if (value.Length > SharedLength)
        {
            return value;
        }

        // One lookup whether the value is new or not.
        ref var shared = ref CollectionsMarshal.GetValueRefOrAddDefault(_shared, value, out _);
        return shared ??= value;
    }

    /// <summary>Where a section is, as problems name it (array items as <c>Lanes[2]</c> where the section can tell).</summary>
    public static string PathOf(IConfigurationSection section) => section is IJsonSection json ? json.ProblemPath : section.Path;

    /// <summary>Reports a problem at a section; its path is put together only now, so reading a clean config makes none.</summary>
    public void Report(IConfigurationSection at, string message) => Report(PathOf(at), message);

    /// <summary>Reports keys of <paramref name="section"/> that are not in <paramref name="known"/> (typos live forever otherwise).</summary>
    public void CheckKeys(IConfigurationSection section, params ReadOnlySpan<string> known)
    {
        var children = Children(section);
        for (var i = 0; i < children.Count; i++)
        {
            if (!IsKnown(children[i].Key, known))
            {
                Report(children[i], "unknown setting; expected one of " + string.Join(", ", known));
            }
        }
    }

    /// <summary>True when <paramref name="key"/> is one of <paramref name="known"/> (keys are case-insensitive).</summary>
    public static bool IsKnown(string key, ReadOnlySpan<string> known)
    {
        foreach (var name in known)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A section's children as a list, without an enumerator per walk: the gateway's own config hands out arrays, so
    /// this costs nothing there.
    /// </summary>
    public static IReadOnlyList<IConfigurationSection> Children(IConfigurationSection section) =>
        section.GetChildren() is var children && children is IReadOnlyList<IConfigurationSection> list ? list : [.. children];

    /// <summary>
    /// The child with this key, or null when the section has none. Readers ask for every optional setting, and most
    /// are absent; the gateway's config answers without making an empty section for each.
    /// </summary>
    public static IConfigurationSection? Find(IConfigurationSection section, string key) => section is IJsonSection json
        ? json.Child(key)
        : section.GetSection(key) is var child && child.Exists() ? child : null;

    public string? String(IConfigurationSection section, string key) => Find(section, key) is { } setting ? Value(setting) : null;

    /// <summary>The value of a setting, or null when it has none; a list or an object where a value belongs is reported.</summary>
    public string? Value(IConfigurationSection setting)
    {
        if (HasChildren(setting))
        {
            Report(setting, "expected a single value, found a list or object");
            return null;
        }

        return setting.Value is { } value ? Shared(value) : null;
    }

    /// <summary>The value of a setting to parse, and the setting to report a bad value at.</summary>
    private string? Text(IConfigurationSection section, string key, out IConfigurationSection? setting)
    {
        setting = Find(section, key);
        return setting is null ? null : Value(setting);
    }

    public bool? Bool(IConfigurationSection section, string key)
    {
        var text = Text(section, key, out var setting);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        Report(setting!, "'" + text + "' is not true or false");
        return null;
    }

    public double? Double(IConfigurationSection section, string key)
    {
        var text = Text(section, key, out var setting);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            return value;
        }

        Report(setting!, "'" + text + "' is not a number");
        return null;
    }

    public TEnum? Enum<TEnum>(IConfigurationSection section, string key)
        where TEnum : struct, Enum
    {
        var text = Text(section, key, out var setting);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        // Names only: Enum.TryParse would also accept numbers such as "7".
        if (EnumNames<TEnum>.ByName.TryGetValue(text, out var value))
        {
            return value;
        }

        Report(setting!, "'" + text + "' is not one of " + string.Join(", ", System.Enum.GetNames<TEnum>()));
        return null;
    }

    public List<string> Strings(IConfigurationSection section, string key)
    {
        var items = Find(section, key) is { } setting ? Items(setting) : [];
        var list = new List<string>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            if (HasChildren(items[i]))
            {
                Report(items[i], "expected a single value, found a list or object");
            }
            else
            {
                list.Add(Shared(items[i].Value ?? ""));
            }
        }

        return list;
    }

    /// <summary>The objects of a list, each read by <paramref name="read"/> (given this reader, so it need not capture one).</summary>
    public List<T> Objects<T>(IConfigurationSection section, string key, Func<ConfigReader, IConfigurationSection, T> read)
    {
        var items = Find(section, key) is { } setting ? Items(setting) : [];
        var list = new List<T>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            list.Add(read(this, items[i]));
        }

        return list;
    }

    /// <summary>
    /// The items of a JSON array; reports a section that is a single value or an object. The configuration system
    /// hands children out with numeric keys in numeric order, so the items come in index order.
    /// </summary>
    private IReadOnlyList<IConfigurationSection> Items(IConfigurationSection section)
    {
        var children = Children(section);
        if (children.Count == 0)
        {
            // An empty JSON array arrives as an empty value.
            if (!string.IsNullOrEmpty(section.Value))
            {
                Report(section, "expected a list, found the single value '" + section.Value + "'");
            }

            return [];
        }

        for (var i = 0; i < children.Count; i++)
        {
            if (!int.TryParse(children[i].Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                Report(section, "expected a list, found an object with key '" + children[i].Key + "'");
                return [];
            }
        }

        return children;
    }

    private static bool HasChildren(IConfigurationSection section) => section.GetChildren().Any();

    /// <summary>An enum's names, looked up once: a large config reads an enum per condition.</summary>
    private static class EnumNames<TEnum>
        where TEnum : struct, Enum
    {
        public static readonly FrozenDictionary<string, TEnum> ByName =
            System.Enum.GetNames<TEnum>().ToFrozenDictionary(name => name, System.Enum.Parse<TEnum>, StringComparer.OrdinalIgnoreCase);
    }
}
