using Gateway.Routing.Clients;
using Gateway.Routing.Config;
using Gateway.Routing.Tagging;

namespace Gateway.Routing.Rules;

/// <summary>One compiled lane of a group: its conditions (all must hold), its optional percentage and its decision.</summary>
public sealed class LaneRule
{
    public LaneRule(string group, string name, string tag, LaneFallback fallback, IRule[] conditions, PercentageRule? percentage)
    {
        Name = name;
        Tag = tag;
        Fallback = fallback;
        Conditions = conditions;
        Percentage = percentage;
        IsBaselinePin = tag == LaneNames.Baseline;
        Decision = IsBaselinePin
            ? new LaneDecision(null, name, group, LaneFallback.Baseline, LaneReason.Pinned)
            : new LaneDecision(tag, name, group, fallback, percentage is null ? LaneReason.Match : LaneReason.Percentage);
    }

    public string Name { get; }

    /// <summary>The configured tag; <c>base</c> for a lane that pins its requests to the baseline.</summary>
    public string Tag { get; }

    /// <summary>The lane's requests go to the baseline, untagged, and the lanes after it are not tried.</summary>
    public bool IsBaselinePin { get; }

    public LaneFallback Fallback { get; }

    public IRule[] Conditions { get; }

    public PercentageRule? Percentage { get; }

    public LaneDecision Decision { get; }

    public bool ConditionsHold(ref RequestFacts facts)
    {
        foreach (var condition in Conditions)
        {
            if (!condition.Matches(ref facts))
            {
                return false;
            }
        }

        return true;
    }
}
