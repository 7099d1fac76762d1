using Gateway.Routing.Clients;
using Gateway.Routing.Config;

namespace Gateway.Routing.Rules;

/// <summary>Matches the decoded request path, case-sensitively: exactly, by prefix on segment boundaries, or by regex.</summary>
public sealed class PathRule : IRule
{
    private readonly ValueMatcher _matcher;

    private PathRule(PathConditionOptions options, ValueMatcher matcher)
    {
        _matcher = matcher;
        var values = string.Join(", ", options.Values);
        Description = "path " + options.Mode + " " + values;
        Key = "path:" + options.Mode + ":" + string.Join("\u0001", options.Values.Order(StringComparer.Ordinal));
    }

    public string Key { get; }

    public string Description { get; }

    public bool Matches(ref RequestFacts facts) => _matcher.Matches(PathOf(facts.Context.Request.Path.Value));

    public string? Observe(ref RequestFacts facts) => PathOf(facts.Context.Request.Path.Value);

    /// <summary>Compiles the condition; reports each bad value with its path and adds no rule when there is any.</summary>
    public static void Compile(PathConditionOptions options, ConditionSite site, List<IRule> rules)
    {
        if (options.Values.Count == 0)
        {
            site.Reader.Report(site.Path.At("Values"), "a Path condition needs at least one value");
            return;
        }

        var ok = true;
        for (var i = 0; i < options.Values.Count && options.Mode != PathMatchMode.Regex; i++)
        {
            if (!options.Values[i].StartsWith('/'))
            {
                site.Reader.Report(site.Path.At("Values", i), "'" + options.Values[i] + "' is not a path; " + options.Mode + " paths start with '/'");
                ok = false;
            }
        }

        var matcher = !ok ? null
            : options.Mode == PathMatchMode.Prefix ? new PathPrefixMatcher(options.Values)
            : ValueMatcher.Compile(new ValueConditionOptions { Mode = options.Mode == PathMatchMode.Regex ? MatchMode.Regex : MatchMode.Exact, Values = options.Values }, site.Path, site.Reader);
        if (matcher is not null)
        {
            rules.Add(new PathRule(options, matcher));
        }
    }

    /// <summary>A request for the path base itself has an empty path: it is the root.</summary>
    private static string PathOf(string? path) => string.IsNullOrEmpty(path) ? "/" : path;
}
