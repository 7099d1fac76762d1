using Gateway.Routing.Clients;
using Gateway.Routing.Tagging;

namespace Gateway.Routing.Rules;

/// <summary>The lanes of one group, evaluated in order; the first that takes the request wins.</summary>
public sealed class RuleGroup(string name, LaneRule[] lanes)
{
    public string Name { get; } = name;

    public LaneRule[] Lanes { get; } = lanes;

    public LaneDecision Evaluate(ref RequestFacts facts, Random random)
    {
        long consumed = 0;
        foreach (var lane in Lanes)
        {
            if (!lane.ConditionsHold(ref facts))
            {
                continue;
            }

            var percentage = lane.Percentage;
            if (percentage is null)
            {
                return lane.Decision;
            }

            if (percentage.Takes(percentage.Bucket(ref facts, random, out _), consumed))
            {
                return lane.Decision;
            }

            consumed += percentage.Share;
        }

        return LaneDecision.Baseline;
    }
}
