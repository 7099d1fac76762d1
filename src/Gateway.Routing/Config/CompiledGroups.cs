using System.Runtime.CompilerServices;
using Gateway.Routing.Rules;

namespace Gateway.Routing.Config;

/// <summary>
/// Lane groups compiled before, by the very options object they were compiled from: the config reader hands a group
/// whose JSON did not change over as the same object, so a reload compiles only the groups it read anew. Held weakly,
/// a group is forgotten with the last config that has it; a failed reload cannot spoil an entry, since every entry is
/// a correct compile of its options.
/// </summary>
public sealed class CompiledGroups
{
    private readonly ConditionalWeakTable<LaneGroupOptions, Tuple<RuleGroup, bool>> _groups = [];

    /// <summary>Groups the last compile took from here rather than compiling them (reload log, tests).</summary>
    public int Reused { get; internal set; }

    /// <summary>The rules compiled from these options with the same city source (a city condition needs one), or null.</summary>
    internal RuleGroup? Find(LaneGroupOptions options, bool hasCitySource)
    {
        var found = _groups.TryGetValue(options, out var entry) && entry.Item2 == hasCitySource;
        Reused += found ? 1 : 0;
        return found ? entry!.Item1 : null;
    }

    internal void Add(LaneGroupOptions options, RuleGroup group, bool hasCitySource) => _groups.AddOrUpdate(options, Tuple.Create(group, hasCitySource));
}
