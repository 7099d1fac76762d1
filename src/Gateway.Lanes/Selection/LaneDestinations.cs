using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using Yarp.ReverseProxy.Model;

namespace Gateway.Lanes.Selection;

/// <summary>
/// A cluster's destinations grouped by lane (metadata <c>DestinationTagKey</c>; none or empty = baseline), leaving out
/// destinations with metadata <c>draining: true</c> (graceful offline) while still counting them as deployed.
/// YARP replaces its destination lists whenever health or config changes, so an index is built once per list
/// instance and cached against it: selecting a lane is then a dictionary lookup with no allocation.
/// </summary>
internal sealed class LaneDestinations
{
    private static readonly ConditionalWeakTable<IReadOnlyList<DestinationState>, LaneDestinations> Cache = [];
    private static readonly IReadOnlyList<DestinationState> None = [];

    /// <summary>Metadata key that takes a destination out of new-request selection.</summary>
    public const string DrainingKey = "draining";

    /// <summary>Metadata key giving a new destination a linearly rising share over that many seconds.</summary>
    public const string WarmupKey = "warmupSeconds";

    private readonly FrozenDictionary<string, IReadOnlyList<DestinationState>> _byLane;
    private readonly FrozenSet<string> _deployed;

    private LaneDestinations(
        string tagKey, FrozenDictionary<string, IReadOnlyList<DestinationState>> byLane, IReadOnlyList<DestinationState> baseline, FrozenSet<string> deployed, bool anyWarmup)
    {
        TagKey = tagKey;
        _byLane = byLane;
        Baseline = baseline;
        _deployed = deployed;
        AnyWarmup = anyWarmup;
    }

    /// <summary>Whether any destination here has a warm-up period (selection then checks their age).</summary>
    public bool AnyWarmup { get; }

    public string TagKey { get; }

    public IReadOnlyList<DestinationState> Baseline { get; }

    public IEnumerable<string> Lanes => _byLane.Keys;

    public IReadOnlyList<DestinationState> Lane(string tag) => _byLane.TryGetValue(tag, out var destinations) ? destinations : None;

    /// <summary>Whether the lane has any destination here, draining ones included.</summary>
    public bool IsDeployed(string tag) => _deployed.Contains(tag);

    public static bool IsDraining(DestinationState destination) =>
        destination.Model.Config.Metadata is { } metadata && metadata.TryGetValue(DrainingKey, out var value)
        && string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The destination's warm-up period from metadata <c>warmupSeconds</c>, zero when it has none.</summary>
    public static double WarmupSeconds(DestinationState destination) =>
        destination.Model.Config.Metadata is { } metadata && metadata.TryGetValue(WarmupKey, out var value) && Seconds(value) is > 0 and var seconds
            ? seconds
            : 0;

    /// <summary>
    /// Why a destination's metadata value is not one read here (null when it is, or when the key is not read here):
    /// a value that does not read would otherwise mean "not draining" or "no warm-up" without a word.
    /// </summary>
    public static string? MetadataProblem(string key, string? value) =>
        key.Equals(DrainingKey, StringComparison.OrdinalIgnoreCase) && !bool.TryParse(value, out _) ? "'" + value + "' is not true or false"
        : key.Equals(WarmupKey, StringComparison.OrdinalIgnoreCase) && Seconds(value) is not (>= 0 and < double.PositiveInfinity)
            ? "'" + value + "' is not a number of seconds (0 or more)"
        : null;

    /// <summary>A number of seconds as metadata writes it, read the one way both the check and the warm-up read it; NaN when it is none.</summary>
    private static double Seconds(string? value) =>
        double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) ? seconds : double.NaN;

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
        var deployed = new HashSet<string>(StringComparer.Ordinal);
        var anyWarmup = false;
        foreach (var destination in destinations)
        {
            var laneOf = LaneOf(destination, tagKey);
            if (laneOf is not null)
            {
                deployed.Add(laneOf);
            }

            if (IsDraining(destination))
            {
                continue;
            }

            anyWarmup |= WarmupSeconds(destination) > 0;
            if (laneOf is { } lane)
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
            AsList(baseline),
            deployed.ToFrozenSet(StringComparer.Ordinal),
            anyWarmup);
    }

    /// <summary>A destination is itself a one-item list, which YARP's load balancer short-cuts.</summary>
    private static IReadOnlyList<DestinationState> AsList(List<DestinationState> destinations) => destinations.Count switch
    {
        0 => None,
        1 => destinations[0],
        _ => destinations.ToArray(),
    };
}
