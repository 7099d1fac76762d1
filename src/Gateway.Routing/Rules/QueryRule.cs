using Gateway.Routing.Clients;
using Gateway.Routing.Config;

namespace Gateway.Routing.Rules;

/// <summary>Matches a (decoded) query parameter; any of a repeated parameter's values may match.</summary>
public sealed class QueryRule(ValueConditionOptions options, ValueMatcher matcher) : ValueRule("query", options, matcher)
{
    public override bool Matches(ref RequestFacts facts) =>
        facts.Context.Request.QueryString.HasValue
        && facts.Context.Request.Query.TryGetValue(Name, out var values)
        && Matcher.MatchesAny(values);

    public override string? Observe(ref RequestFacts facts) =>
        facts.Context.Request.Query.TryGetValue(Name, out var values) ? values.ToString() : null;
}
