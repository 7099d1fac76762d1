using Gateway.Routing.Clients;
using Gateway.Routing.Config;

namespace Gateway.Routing.Rules;

/// <summary>A condition on a named request value (a header, a cookie or a query parameter).</summary>
public abstract class ValueRule : IRule
{
    protected ValueRule(string kind, ValueConditionOptions options, ValueMatcher matcher)
    {
        Name = options.Name;
        Matcher = matcher;
        var values = options.Values.Order(StringComparer.Ordinal);
        Key = kind + ":" + Name.ToLowerInvariant() + ":" + options.Mode + ":" + options.IgnoreCase + ":" + string.Join("\u0001", values);
        Description = kind + " " + Name + " " + options.Mode + (options.Values.Count > 0 ? " " + string.Join(", ", options.Values) : "") + (options.IgnoreCase ? " (ignore case)" : "");
    }

    public string Description { get; }

    public abstract string? Observe(ref RequestFacts facts);

    public string Name { get; }

    public string Key { get; }

    protected ValueMatcher Matcher { get; }

    public abstract bool Matches(ref RequestFacts facts);
}
