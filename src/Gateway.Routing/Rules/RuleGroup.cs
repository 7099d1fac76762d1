using Gateway.Routing.Clients;
using Gateway.Routing.Explain;
using Gateway.Routing.Tagging;

namespace Gateway.Routing.Rules;

/// <summary>The lanes of one group, evaluated in order; the first that takes the request wins.</summary>
public sealed class RuleGroup(string name, LaneRule[] lanes)
{
    public string Name { get; } = name;

    public LaneRule[] Lanes { get; } = lanes;

    /// <summary>Evaluates the lanes in order; <paramref name="trace"/> (explain only) records every step.</summary>
    public LaneDecision Evaluate(ref RequestFacts facts, Random random, DecisionTrace? trace = null)
    {
        long consumed = 0;
        foreach (var lane in Lanes)
        {
            if (!lane.ConditionsHold(ref facts))
            {
                trace?.Lanes.Add(new LaneTrace(lane.Name, lane.Tag, Conditions(lane, ref facts), null, "conditions do not hold"));
                continue;
            }

            var percentage = lane.Percentage;
            if (percentage is null)
            {
                trace?.Lanes.Add(new LaneTrace(lane.Name, lane.Tag, Conditions(lane, ref facts), null, Taken(lane)));
                return lane.Decision;
            }

            var bucket = percentage.Bucket(ref facts, random, out var sticky, out var issued);
            var takes = percentage.Takes(bucket, consumed);
            trace?.Lanes.Add(new LaneTrace(lane.Name, lane.Tag, Conditions(lane, ref facts), Describe(percentage, bucket, sticky, issued, consumed), takes ? Taken(lane) : "not in its slice"));
            if (takes)
            {
                return lane.Decision;
            }

            consumed += percentage.Share;
        }

        return LaneDecision.Baseline;
    }

    private static List<ConditionTrace> Conditions(LaneRule lane, ref RequestFacts facts)
    {
        var conditions = new List<ConditionTrace>(lane.Conditions.Length);
        foreach (var condition in lane.Conditions)
        {
            conditions.Add(new ConditionTrace(condition.Description, condition.Observe(ref facts), condition.Matches(ref facts)));
        }

        return conditions;
    }

    private static string Taken(LaneRule lane) => lane.IsBaselinePin ? "taken: pinned to the baseline (no tag, later lanes not tried)" : "taken";

    private static PercentageTrace Describe(PercentageRule percentage, uint bucket, bool sticky, bool issued, long consumed)
    {
        const double ToPercent = 100.0 / StickyHash.BucketCount;
        var remaining = StickyHash.BucketCount - consumed;
        var threshold = remaining <= 0 ? 0 : Math.Min(100, 100.0 * percentage.Share / remaining);
        var issuedCookie = issued ? percentage.Issue!.Name + ": the request had none; a new id is issued (Set-Cookie)" : null;
        return new PercentageTrace(percentage.Percentage, percentage.Key.ToString(), sticky, Math.Round(bucket * ToPercent, 4), Math.Round(threshold, 4), Math.Round(remaining * ToPercent, 4), issuedCookie);
    }
}
