using Gateway.Routing.Clients;
using Gateway.Routing.Config;

namespace Gateway.Routing.Rules;

/// <summary>
/// Matches a decoded query parameter; any of a repeated parameter's values may match. The name is case-sensitive,
/// as HTTP and the Gateway API define it (<c>IgnoreCase</c> applies to values only).
/// </summary>
public sealed class QueryRule(ValueConditionOptions options, ValueMatcher matcher) : ValueRule("query", options, matcher), IConditionRule<ValueConditionOptions>
{
    public static void Compile(List<ValueConditionOptions> items, ConditionSite site, List<IRule> rules) =>
        CompileEach(items, site, rules, static (o, m) => new QueryRule(o, m), tokenNames: false);

    protected override bool Holds(ref RequestFacts facts)
    {
        var remaining = QueryReader.Start(facts.Context.Request.QueryString.Value);
        while (QueryReader.Next(ref remaining, Name, out var raw))
        {
            if (QueryReader.NeedsDecoding(raw) ? MatchesDecoded(raw) : Matcher.Matches(raw))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Only values with escapes pay for a decoding buffer (clearing it costs as much as the lookup).</summary>
    private bool MatchesDecoded(ReadOnlySpan<char> raw)
    {
        Span<char> buffer = stackalloc char[QueryReader.BufferLength];
        return Matcher.Matches(QueryReader.Decode(raw, buffer));
    }

    public override string? Observe(ref RequestFacts facts)
    {
        var remaining = QueryReader.Start(facts.Context.Request.QueryString.Value);
        var values = new List<string>();
        while (QueryReader.Next(ref remaining, Name, out var raw))
        {
            values.Add(QueryReader.Decode(raw, new char[raw.Length * 2]).ToString());
        }

        return values.Count == 0 ? null : string.Join(",", values);
    }
}
