using Gateway.Routing.Clients;
using Gateway.Routing.Config;

namespace Gateway.Routing.Rules;

/// <summary>Matches a request header (name ignoring case); any of a repeated header's values may match.</summary>
public sealed class HeaderRule(ValueConditionOptions options, ValueMatcher matcher) : ValueRule("header", options, matcher), IConditionRule<ValueConditionOptions>
{
    public static void Compile(List<ValueConditionOptions> items, ConditionSite site, List<IRule> rules) =>
        CompileEach(items, site, rules, static (o, m) => new HeaderRule(o, m), tokenNames: true);

    protected override string KeyName => Name.ToLowerInvariant();

    protected override bool Holds(ref RequestFacts facts) =>
        facts.Context.Request.Headers.TryGetValue(Name, out var values) && Matcher.MatchesAny(values);

    public override string? Observe(ref RequestFacts facts) =>
        facts.Context.Request.Headers.TryGetValue(Name, out var values) ? values.ToString() : null;
}
