using Gateway.Routing.Config;

namespace Gateway.Routing.Rules;

/// <summary>A rule type that compiles a list condition kind (<see cref="ConditionList{TItem, TRule}"/>) from its items.</summary>
public interface IConditionRule<TItem>
{
    /// <summary>Adds the rules of a non-empty list; reports each bad item with its path (<c>site.Path with { Item = i }</c>).</summary>
    static abstract void Compile(List<TItem> items, ConditionSite site, List<IRule> rules);
}
