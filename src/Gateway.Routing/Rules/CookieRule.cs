using Gateway.Routing.Clients;
using Gateway.Routing.Config;

namespace Gateway.Routing.Rules;

/// <summary>Matches a cookie (name case-sensitive), read straight from the Cookie header without building the cookie collection.</summary>
public sealed class CookieRule(ValueConditionOptions options, ValueMatcher matcher) : ValueRule("cookie", options, matcher), IConditionRule<ValueConditionOptions>
{
    public static void Compile(List<ValueConditionOptions> items, ConditionSite site, List<IRule> rules) =>
        CompileEach(items, site, rules, static (o, m) => new CookieRule(o, m), tokenNames: false);

    protected override bool Holds(ref RequestFacts facts) =>
        CookieReader.TryFind(facts.Context.Request.Headers.Cookie, Name, out var value) && Matcher.Matches(value);

    public override string? Observe(ref RequestFacts facts) =>
        CookieReader.TryFind(facts.Context.Request.Headers.Cookie, Name, out var value) ? value.ToString() : null;
}
