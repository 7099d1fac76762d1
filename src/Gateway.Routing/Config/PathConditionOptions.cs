using Gateway.Routing.Rules;

namespace Gateway.Routing.Config;

/// <summary>A condition on the decoded request path (case-sensitive); the values are alternatives.</summary>
public sealed class PathConditionOptions : ICondition
{
    public PathMatchMode Mode { get; set; } = PathMatchMode.Exact;

    public List<string> Values { get; set; } = [];

    void ICondition.Compile(ConditionSite site, List<IRule> rules) => PathRule.Compile(this, site, rules);
}
