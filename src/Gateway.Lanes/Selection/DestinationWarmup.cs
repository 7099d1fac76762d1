using System.Runtime.CompilerServices;
using Yarp.ReverseProxy.Model;

namespace Gateway.Lanes.Selection;

/// <summary>
/// Slow start: a destination with metadata <c>warmupSeconds</c> gets a share of its lane's new requests that rises
/// linearly from 0 to full over that period, counted from when the gateway first saw it. Each request leaves a
/// warming destination out of the candidates with probability <c>1 - age / warmup</c>, so its share relative to a
/// warm one is <c>age / warmup</c>. Only lanes with a warming destination pay for this (it allocates a short list);
/// once every destination of a candidate list is warm, the list is passed on after one lookup. Metadata naming a
/// warm-up used to cost a parse and a draw per destination on every request for as long as it stayed in the config.
/// </summary>
internal sealed class DestinationWarmup(TimeProvider time, Random random)
{
    private readonly ConditionalWeakTable<DestinationState, StrongBox<long>> _firstSeen = [];

    // When the last destination of each candidate list (YARP replaces its lists on every change) is warm.
    private readonly ConditionalWeakTable<IReadOnlyList<DestinationState>, StrongBox<long>> _allWarmAt = [];

    public IReadOnlyList<DestinationState> Apply(IReadOnlyList<DestinationState> candidates)
    {
        if (time.GetTimestamp() >= AllWarmAt(candidates))
        {
            return candidates;
        }

        List<DestinationState>? kept = null;
        for (var i = 0; i < candidates.Count; i++)
        {
            var destination = candidates[i];
            var warmup = LaneDestinations.WarmupSeconds(destination);
            var include = warmup <= 0 || random.NextDouble() < Weight(destination, warmup);
            if (!include && kept is null)
            {
                kept = new List<DestinationState>(candidates.Count);
                for (var j = 0; j < i; j++)
                {
                    kept.Add(candidates[j]);
                }
            }
            else if (include)
            {
                kept?.Add(destination);
            }
        }

        // Never leave a lane without a candidate because of warm-up alone.
        return kept is null ? candidates : kept.Count > 0 ? kept : candidates;
    }

    /// <summary>The destination's share, 0 to 1, by its age against its warm-up period.</summary>
    public double Weight(DestinationState destination, double warmupSeconds) =>
        Math.Min(1, time.GetElapsedTime(FirstSeen(destination)).TotalSeconds / warmupSeconds);

    private long FirstSeen(DestinationState destination) => _firstSeen.GetValue(destination, _ => new StrongBox<long>(time.GetTimestamp())).Value;

    private long AllWarmAt(IReadOnlyList<DestinationState> candidates)
    {
        if (_allWarmAt.TryGetValue(candidates, out var known))
        {
            return known.Value;
        }

        var allWarmAt = 0L;
        for (var i = 0; i < candidates.Count; i++)
        {
            if (LaneDestinations.WarmupSeconds(candidates[i]) is var seconds and > 0)
            {
                // A warm-up of centuries ends past the largest timestamp: kept there, not wrapped round to long ago.
                var firstSeen = FirstSeen(candidates[i]);
                var ticks = seconds * time.TimestampFrequency;
                allWarmAt = ticks >= long.MaxValue - firstSeen ? long.MaxValue : Math.Max(allWarmAt, firstSeen + (long)ticks);
            }
        }

        _allWarmAt.AddOrUpdate(candidates, new StrongBox<long>(allWarmAt));
        return allWarmAt;
    }
}
