using Gateway.Routing.Rules;

namespace Gateway.Routing.Config;

/// <summary>
/// A kind of lane condition as written under <c>Match</c>. Every property of <see cref="MatchOptions"/> has a type
/// that compiles itself, so the compiler keeps no list of kinds: a new kind is one property and one rule type.
/// </summary>
public interface ICondition
{
    /// <summary>Adds the kind's rules; reports each bad value at its path instead (<paramref name="site"/>).</summary>
    void Compile(ConditionSite site, List<IRule> rules);
}
