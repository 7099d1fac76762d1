using System.Collections.Frozen;
using System.Text.RegularExpressions;
using Gateway.Routing.Config;
using Microsoft.Extensions.Primitives;

namespace Gateway.Routing.Rules;

/// <summary>Matches one request value (a header, cookie or query value) against the configured values of a condition.</summary>
public abstract class ValueMatcher
{
    /// <summary>Regex rules run on the non-backtracking engine: matching is linear in the input, at a cost per character bounded by the automaton limit below.</summary>
    public const RegexOptions RegexBaseOptions = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;

    /// <summary>
    /// Most nodes a Regex rule's automaton may have. Past a few hundred, a pattern whose automaton cannot be cached
    /// (an unanchored <c>(a|b)*a(a|b){500}z</c>) makes the engine fall back to its slow mode, and one request with a
    /// 30 KB header costs a tenth of a CPU second; at this limit the worst costs a few milliseconds, while the patterns
    /// lane rules are written with (id lists, domains, UUID paths, versions) fit (<c>bench regex-worst</c>).
    /// </summary>
    public const int MaxRegexAutomatonSize = 300;

    private const string AutomatonSizeSwitch = "REGEX_NONBACKTRACKING_MAX_AUTOMATA_SIZE";

    static ValueMatcher()
    {
        // The engine reads this limit only from the process's AppContext; a value the host set first is kept.
        if (AppContext.GetData(AutomatonSizeSwitch) is null)
        {
            AppContext.SetData(AutomatonSizeSwitch, MaxRegexAutomatonSize);
        }
    }

    /// <summary>Exact conditions with up to this many values are matched by comparison instead of a hash set.</summary>
    public const int FewValues = 4;

    public abstract bool Matches(ReadOnlySpan<char> value);

    public bool MatchesAny(StringValues values)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (Matches(values[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Compiles a matcher; reports each bad value with its path and returns null when there is any.</summary>
    public static ValueMatcher? Compile(ValueConditionOptions options, LanePath condition, ConfigReader reader)
    {
        if (options.Mode == MatchMode.Exists)
        {
            if (options.Values.Count > 0)
            {
                reader.Report(condition.At("Values"), "Mode Exists takes no Values");
                return null;
            }

            return ExistsMatcher.Instance;
        }

        if (options.Values.Count == 0)
        {
            reader.Report(condition.At("Values"), "Mode " + options.Mode + " needs at least one value");
            return null;
        }

        var comparer = options.IgnoreCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        var comparison = options.IgnoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        switch (options.Mode)
        {
            case MatchMode.Exact:
                // A few values are compared one by one: as fast as hashing, and a frozen set is costly to build when a
                // config has thousands of small conditions.
                return options.Values.Count <= FewValues
                    ? new ListMatcher([.. options.Values], comparison, prefix: false)
                    : new ExactMatcher(options.Values.ToFrozenSet(comparer));
            case MatchMode.Prefix:
                return new ListMatcher([.. options.Values], comparison, prefix: true);
            default:
                var regexes = new Regex[options.Values.Count];
                var ok = true;
                for (var i = 0; i < regexes.Length; i++)
                {
                    try
                    {
                        regexes[i] = new Regex(options.Values[i], RegexBaseOptions | (options.IgnoreCase ? RegexOptions.IgnoreCase : RegexOptions.None));
                    }
                    catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
                    {
                        reader.Report(condition.At("Values", i), "invalid regex '" + options.Values[i] + "': " + ex.Message);
                        ok = false;
                    }
                }

                return ok ? new RegexMatcher(regexes) : null;
        }
    }

    private sealed class ExistsMatcher : ValueMatcher
    {
        public static readonly ExistsMatcher Instance = new();

        public override bool Matches(ReadOnlySpan<char> value) => true;
    }

    private sealed class ExactMatcher(FrozenSet<string> values) : ValueMatcher
    {
        private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup = values.GetAlternateLookup<ReadOnlySpan<char>>();

        public override bool Matches(ReadOnlySpan<char> value) => _lookup.Contains(value);
    }

    /// <summary>Values compared one by one: prefixes, or exact values when there are only a few.</summary>
    private sealed class ListMatcher(string[] values, StringComparison comparison, bool prefix) : ValueMatcher
    {
        public override bool Matches(ReadOnlySpan<char> value)
        {
            foreach (var candidate in values)
            {
                if (prefix ? value.StartsWith(candidate, comparison) : value.Equals(candidate, comparison))
                {
                    return true;
                }
            }

            return false;
        }
    }

    private sealed class RegexMatcher(Regex[] regexes) : ValueMatcher
    {
        public override bool Matches(ReadOnlySpan<char> value)
        {
            foreach (var regex in regexes)
            {
                if (regex.IsMatch(value))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
