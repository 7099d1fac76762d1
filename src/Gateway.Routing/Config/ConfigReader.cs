using System.Collections.Frozen;
using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Gateway.Routing.Config;

/// <summary>
/// Reads configuration sections by hand so that every problem is reported at once with its path, which
/// <c>ConfigurationBinder</c> cannot do (it throws on the first bad value and ignores misspelt keys).
/// Array items are shown as <c>Lanes[2]</c> rather than the configuration system's <c>Lanes:2</c>.
/// </summary>
public sealed class ConfigReader
{
    private readonly List<ConfigProblem> _problems;

    public ConfigReader(List<ConfigProblem> problems) => _problems = problems;

    /// <summary>Problems reported so far (a caller compares counts to tell whether one part read cleanly).</summary>
    public int ProblemCount => _problems.Count;

    public void Report(string path, string message) => _problems.Add(new ConfigProblem(path, message));

    public static string Child(string path, string key) => path.Length == 0 ? key : path + ":" + key;

    public static string Item(string path, int index) => path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";

    /// <summary>Reports keys of <paramref name="section"/> that are not in <paramref name="known"/> (typos live forever otherwise).</summary>
    public void CheckKeys(IConfigurationSection section, string path, params ReadOnlySpan<string> known)
    {
        foreach (var child in section.GetChildren())
        {
            if (!IsKnown(child.Key, known))
            {
                Report(Child(path, child.Key), "unknown setting; expected one of " + string.Join(", ", known));
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

    public string? String(IConfigurationSection section, string key, string path)
    {
        var child = section.GetSection(key);
        if (HasChildren(child))
        {
            Report(Child(path, key), "expected a single value, found a list or object");
            return null;
        }

        return child.Value;
    }

    public bool? Bool(IConfigurationSection section, string key, string path)
    {
        var text = String(section, key, path);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        Report(Child(path, key), "'" + text + "' is not true or false");
        return null;
    }

    public double? Double(IConfigurationSection section, string key, string path)
    {
        var text = String(section, key, path);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            return value;
        }

        Report(Child(path, key), "'" + text + "' is not a number");
        return null;
    }

    public TEnum? Enum<TEnum>(IConfigurationSection section, string key, string path)
        where TEnum : struct, Enum
    {
        var text = String(section, key, path);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        // Names only: Enum.TryParse would also accept numbers such as "7".
        if (EnumNames<TEnum>.ByName.TryGetValue(text, out var value))
        {
            return value;
        }

        Report(Child(path, key), "'" + text + "' is not one of " + string.Join(", ", System.Enum.GetNames<TEnum>()));
        return null;
    }

    public List<string> Strings(IConfigurationSection section, string key, string path)
    {
        var list = new List<string>();
        var listPath = Child(path, key);
        foreach (var (item, index) in Items(section.GetSection(key), listPath))
        {
            if (HasChildren(item))
            {
                Report(Item(listPath, index), "expected a single value, found a list or object");
            }
            else
            {
                list.Add(item.Value ?? "");
            }
        }

        return list;
    }

    public List<T> Objects<T>(IConfigurationSection section, string key, string path, Func<IConfigurationSection, string, T> read)
    {
        var list = new List<T>();
        var listPath = Child(path, key);
        foreach (var (item, index) in Items(section.GetSection(key), listPath))
        {
            list.Add(read(item, Item(listPath, index)));
        }

        return list;
    }

    /// <summary>The items of a JSON array in index order; reports a section that is a single value or an object.</summary>
    private List<(IConfigurationSection Item, int Index)> Items(IConfigurationSection section, string path)
    {
        var items = new List<(IConfigurationSection, int)>();
        if (!HasChildren(section))
        {
            // An empty JSON array arrives as an empty value.
            if (!string.IsNullOrEmpty(section.Value))
            {
                Report(path, "expected a list, found the single value '" + section.Value + "'");
            }

            return items;
        }

        foreach (var child in section.GetChildren())
        {
            if (!int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                Report(path, "expected a list, found an object with key '" + child.Key + "'");
                return [];
            }

            items.Add((child, index));
        }

        items.Sort((a, b) => a.Item2.CompareTo(b.Item2));
        return items;
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
