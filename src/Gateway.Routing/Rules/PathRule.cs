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

    /// <summary>Compiles the condition; reports each bad value with its path and returns null when there is any.</summary>
    public static PathRule? Compile(PathConditionOptions options, LanePath condition, ConfigReader reader)
    {
        if (options.Values.Count == 0)
        {
            reader.Report(condition.At("Values"), "a Path condition needs at least one value");
            return null;
        }

        if (options.Mode == PathMatchMode.Regex)
        {
            var regex = new ValueConditionOptions { Mode = MatchMode.Regex, Values = options.Values };
            return ValueMatcher.Compile(regex, condition, reader) is { } matcher ? new PathRule(options, matcher) : null;
        }

        var ok = true;
        for (var i = 0; i < options.Values.Count; i++)
        {
            if (!options.Values[i].StartsWith('/'))
            {
                reader.Report(condition.At("Values", i), "'" + options.Values[i] + "' is not a path; " + options.Mode + " paths start with '/'");
                ok = false;
            }
        }

        if (!ok)
        {
            return null;
        }

        return options.Mode == PathMatchMode.Prefix
            ? new PathRule(options, new PathPrefixMatcher(options.Values))
            : new PathRule(options, ValueMatcher.Compile(new ValueConditionOptions { Mode = MatchMode.Exact, Values = options.Values }, condition, reader)!);
    }

    /// <summary>A request for the path base itself has an empty path: it is the root.</summary>
    private static string PathOf(string? path) => string.IsNullOrEmpty(path) ? "/" : path;
}
