using Gateway.Routing.Clients;
using Gateway.Routing.Config;

namespace Gateway.Routing.Rules;

/// <summary>Matches a request header; any of a repeated header's values may match.</summary>
public sealed class HeaderRule(ValueConditionOptions options, ValueMatcher matcher) : ValueRule("header", options, matcher)
{
    public override bool Matches(ref RequestFacts facts) =>
        facts.Context.Request.Headers.TryGetValue(Name, out var values) && Matcher.MatchesAny(values);

    public override string? Observe(ref RequestFacts facts) =>
        facts.Context.Request.Headers.TryGetValue(Name, out var values) ? values.ToString() : null;
}
