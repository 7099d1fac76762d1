using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using Yarp.ReverseProxy.Model;

namespace Gateway.Lanes.Selection;

/// <summary>
/// A cluster's destinations grouped by lane (metadata <c>DestinationTagKey</c>; none or empty = baseline).
/// YARP replaces its destination lists whenever health or config changes, so an index is built once per list
/// instance and cached against it: selecting a lane is then a dictionary lookup with no allocation.
/// </summary>
internal sealed class LaneDestinations
{
    private static readonly ConditionalWeakTable<IReadOnlyList<DestinationState>, LaneDestinations> Cache = [];
    private static readonly IReadOnlyList<DestinationState> None = [];

    private readonly FrozenDictionary<string, IReadOnlyList<DestinationState>> _byLane;

    private LaneDestinations(string tagKey, FrozenDictionary<string, IReadOnlyList<DestinationState>> byLane, IReadOnlyList<DestinationState> baseline)
    {
        TagKey = tagKey;
        _byLane = byLane;
        Baseline = baseline;
    }

    public string TagKey { get; }

    public IReadOnlyList<DestinationState> Baseline { get; }

    public IEnumerable<string> Lanes => _byLane.Keys;

    public IReadOnlyList<DestinationState> Lane(string tag) => _byLane.TryGetValue(tag, out var destinations) ? destinations : None;

    public static LaneDestinations For(IReadOnlyList<DestinationState> destinations, string tagKey)
    {
        if (Cache.TryGetValue(destinations, out var index) && index.TagKey == tagKey)
        {
            return index;
        }

        index = Build(destinations, tagKey);
        Cache.AddOrUpdate(destinations, index);
        return index;
    }

    public static string? LaneOf(DestinationState destination, string tagKey) =>
        destination.Model.Config.Metadata is { } metadata && metadata.TryGetValue(tagKey, out var lane) && !string.IsNullOrWhiteSpace(lane)
            ? lane
            : null;

    private static LaneDestinations Build(IReadOnlyList<DestinationState> destinations, string tagKey)
    {
        var byLane = new Dictionary<string, List<DestinationState>>(StringComparer.Ordinal);
        var baseline = new List<DestinationState>();
        foreach (var destination in destinations)
        {
            if (LaneOf(destination, tagKey) is { } lane)
            {
                if (!byLane.TryGetValue(lane, out var list))
                {
                    byLane[lane] = list = [];
                }

                list.Add(destination);
            }
            else
            {
                baseline.Add(destination);
            }
        }

        return new LaneDestinations(
            tagKey,
            byLane.ToFrozenDictionary(pair => pair.Key, pair => AsList(pair.Value), StringComparer.Ordinal),
            AsList(baseline));
    }

    /// <summary>A destination is itself a one-item list, which YARP's load balancer short-cuts.</summary>
    private static IReadOnlyList<DestinationState> AsList(List<DestinationState> destinations) => destinations.Count switch
    {
        0 => None,
        1 => destinations[0],
        _ => destinations.ToArray(),
    };
}
