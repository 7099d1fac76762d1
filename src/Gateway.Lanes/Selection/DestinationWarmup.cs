using System.Runtime.CompilerServices;
using Yarp.ReverseProxy.Model;

namespace Gateway.Lanes.Selection;

/// <summary>
/// Slow start: a destination with metadata <c>warmupSeconds</c> gets a share of its lane's new requests that rises
/// linearly from 0 to full over that period, counted from when the gateway first saw it. Each request leaves a
/// warming destination out of the candidates with probability <c>1 - age / warmup</c>, so its share relative to a
/// warm one is <c>age / warmup</c>. Only lanes with a warming destination pay for this (it allocates a short list).
/// </summary>
internal sealed class DestinationWarmup(TimeProvider time, Random random)
{
    private readonly ConditionalWeakTable<DestinationState, StrongBox<long>> _firstSeen = [];

    public IReadOnlyList<DestinationState> Apply(IReadOnlyList<DestinationState> candidates)
    {
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
    public double Weight(DestinationState destination, double warmupSeconds)
    {
        var firstSeen = _firstSeen.GetValue(destination, _ => new StrongBox<long>(time.GetTimestamp())).Value;
        return Math.Min(1, time.GetElapsedTime(firstSeen).TotalSeconds / warmupSeconds);
    }
}
