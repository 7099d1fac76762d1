using Gateway.Routing.Clients;
using Gateway.Routing.Config;
using Lanes.Wire;

namespace Gateway.Routing.Rules;

/// <summary>
/// A condition on a named request value (a header, a cookie or a query parameter). With <c>Not</c> it holds exactly
/// when it would not without: a missing value satisfies a negated <c>Exact</c>, and <c>Exists</c> + <c>Not</c> means absent.
/// </summary>
public abstract class ValueRule : IRule
{
    private readonly string _kind;
    private readonly ValueConditionOptions _options;
    private readonly bool _not;
    private string? _key;
    private string? _description;

    protected ValueRule(string kind, ValueConditionOptions options, ValueMatcher matcher)
    {
        _kind = kind;
        _options = options;
        _not = options.Not;
        Name = options.Name;
        Matcher = matcher;
    }

    /// <summary>Made when first asked for (by an explain): most rules are never described.</summary>
    public string Description => _description ??= (_not ? "not " : "") + _kind + " " + Name + " " + _options.Mode
        + (_options.Values.Count > 0 ? " " + string.Join(", ", _options.Values) : "")
        + (_options.IgnoreCase ? " (ignore case)" : "");

    public abstract string? Observe(ref RequestFacts facts);

    public string Name { get; }

    /// <summary>Made when first asked for (by the overlap check of a percentage lane); two rules with the same key take the same requests.</summary>
    public string Key => _key ??= (_not ? "not:" : "") + _kind + ":" + KeyName + ":" + _options.Mode + ":" + _options.IgnoreCase + ":"
        + string.Join("\u0001", _options.Values.Order(StringComparer.Ordinal));

    protected ValueMatcher Matcher { get; }

    /// <summary>The name as it identifies the value: header names ignore case, cookie and query names do not.</summary>
    protected virtual string KeyName => Name;

    public bool Matches(ref RequestFacts facts) => Holds(ref facts) != _not;

    /// <summary>Whether the request has the value and it matches (before any <c>Not</c>).</summary>
    protected abstract bool Holds(ref RequestFacts facts);

    /// <summary>Compiles each condition of a kind's list; with <paramref name="tokenNames"/> a name must be an HTTP token (a header name).</summary>
    protected static void CompileEach(
        List<ValueConditionOptions> conditions, ConditionSite site, List<IRule> rules, Func<ValueConditionOptions, ValueMatcher, ValueRule> create, bool tokenNames)
    {
        for (var i = 0; i < conditions.Count; i++)
        {
            var condition = conditions[i];
            var path = site.Path with { Item = i };
            if (string.IsNullOrWhiteSpace(condition.Name) || (tokenNames && !LaneWire.IsToken(condition.Name)))
            {
                site.Reader.Report(path.At("Name"), "'" + condition.Name + "' is not a valid name");
            }
            else if (ValueMatcher.Compile(condition, path, site.Reader) is { } matcher)
            {
                rules.Add(create(condition, matcher));
            }
        }
    }
}
