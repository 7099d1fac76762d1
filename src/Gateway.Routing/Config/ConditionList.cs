using Gateway.Routing.Rules;

namespace Gateway.Routing.Config;

/// <summary>A condition kind written as a list (<c>Headers</c>, <c>Methods</c>, <c>Cities</c>, ...), compiled by <typeparamref name="TRule"/>.</summary>
public sealed class ConditionList<TItem, TRule> : List<TItem>, ICondition
    where TRule : IConditionRule<TItem>
{
    /// <summary>An empty list is a condition left out: no rule, nothing to check.</summary>
    public void Compile(ConditionSite site, List<IRule> rules)
    {
        if (Count > 0)
        {
            TRule.Compile(this, site, rules);
        }
    }
}
