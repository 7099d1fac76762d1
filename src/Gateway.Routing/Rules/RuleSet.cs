using System.Collections.Frozen;

namespace Gateway.Routing.Rules;

/// <summary>Rule groups indexed by route id, so a request only sees its own group's lanes.</summary>
public sealed class RuleSet(FrozenDictionary<string, RuleGroup> byRoute, RuleGroup? defaultGroup)
{
    public static readonly RuleSet Empty = new(FrozenDictionary<string, RuleGroup>.Empty, null);

    public RuleGroup? DefaultGroup { get; } = defaultGroup;

    public FrozenDictionary<string, RuleGroup> ByRoute { get; } = byRoute;

    /// <summary>Every group once (a group listing several routes is indexed under each).</summary>
    public IEnumerable<RuleGroup> Groups => ByRoute.Values.Append(DefaultGroup).OfType<RuleGroup>().Distinct();

    public RuleGroup? For(string routeId) => ByRoute.TryGetValue(routeId, out var group) ? group : DefaultGroup;
}
