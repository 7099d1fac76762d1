using Gateway.Routing.Config;
using Gateway.Routing.Tagging;
using Yarp.ReverseProxy.Model;

namespace Gateway.Lanes.Selection;

/// <summary>
/// Which destinations may serve a request of a lane: its lane's usable ones; else, for a <c>Baseline</c> lane, the
/// baseline's (a planned fallback when the lane has no destination in the cluster or all of them are draining, an
/// escape when it has some in service but none is usable); else nothing (a <c>Reject</c> lane, or no usable
/// baseline). The middleware and explain share it.
/// </summary>
public static class LaneSelector
{
    public static LaneSelection Select(LaneDecision decision, IReadOnlyList<DestinationState> available, IReadOnlyList<DestinationState> all, string tagKey)
    {
        var usable = LaneDestinations.For(available, tagKey);
        var outcome = LaneOutcome.Baseline;
        var deployed = false;
        var drained = false;
        if (decision.Tag is { } tag)
        {
            var destinations = usable.Lane(tag);
            if (destinations.Count > 0)
            {
                return new LaneSelection(LaneOutcome.Lane, destinations, true, false, usable.AnyWarmup);
            }

            var everywhere = LaneDestinations.For(all, tagKey);
            deployed = everywhere.IsDeployed(tag);

            // The index of all destinations leaves draining ones out too: a deployed lane with none there has had
            // every instance drained on purpose, while one with some has instances that failed (an escape).
            drained = deployed && everywhere.Lane(tag).Count == 0;
            if (decision.Fallback == LaneFallback.Reject)
            {
                return new LaneSelection(LaneOutcome.Rejected, [], deployed, drained, false);
            }

            outcome = drained ? LaneOutcome.Drained : deployed ? LaneOutcome.Escaped : LaneOutcome.Fallback;
        }

        return usable.Baseline.Count == 0
            ? new LaneSelection(LaneOutcome.NoBaseline, [], deployed, drained, false)
            : new LaneSelection(outcome, usable.Baseline, deployed, drained, usable.AnyWarmup);
    }
}

/// <summary>
/// The outcome and the candidate destinations (empty when the gateway answers 503 itself); whether the lane has
/// destinations in the cluster, and whether all of them are draining.
/// </summary>
public readonly record struct LaneSelection(
    LaneOutcome Outcome, IReadOnlyList<DestinationState> Destinations, bool LaneDeployed, bool LaneDrained, bool AnyWarmup);
