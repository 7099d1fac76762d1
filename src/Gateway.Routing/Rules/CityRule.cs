using System.Collections.Frozen;
using Gateway.Routing.Clients;
using Gateway.Routing.Config;

namespace Gateway.Routing.Rules;

/// <summary>
/// Matches when any comma-separated part of the client's location (<c>guangzhou,guangdong,cn</c>) is one of the names,
/// ignoring case, so one rule can name a city, a province or a country.
/// </summary>
public sealed class CityRule : IRule, IConditionRule<string>
{
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _names;

    public CityRule(IEnumerable<string> names)
    {
        var set = names.Select(n => n.Trim()).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        _names = set.GetAlternateLookup<ReadOnlySpan<char>>();
        Key = "cities:" + string.Join("\u0001", set.Select(n => n.ToLowerInvariant()).Order(StringComparer.Ordinal));
        Description = "city in " + string.Join(", ", set.Order(StringComparer.OrdinalIgnoreCase));
    }

    public string Description { get; }

    /// <summary>Compiles the condition, reporting empty names and a config with no source of client cities.</summary>
    public static void Compile(List<string> names, ConditionSite site, List<IRule> rules)
    {
        if (names.Any(string.IsNullOrWhiteSpace))
        {
            site.Report("city names must not be empty");
        }

        if (!site.HasCitySource)
        {
            site.Report("a city rule needs Lanes:ClientIp:CityDatabase, or a CityHeader with TrustedProxies");
        }

        rules.Add(new CityRule(names));
    }

    public string? Observe(ref RequestFacts facts) => facts.City;

    public string Key { get; }

    public bool Matches(ref RequestFacts facts) => Contains(facts.City);

    public bool Contains(string? location)
    {
        var remaining = location.AsSpan();
        while (!remaining.IsEmpty)
        {
            var comma = remaining.IndexOf(',');
            var part = (comma < 0 ? remaining : remaining[..comma]).Trim();
            remaining = comma < 0 ? [] : remaining[(comma + 1)..];
            if (_names.Contains(part))
            {
                return true;
            }
        }

        return false;
    }
}
