using Gateway.Routing.Config;

namespace Gateway.Routing.Tagging;

/// <summary>
/// The lane a request was put in. Decisions for configured lanes are built once per config, so deciding allocates
/// nothing; only a trusted client tag that no lane names gets a new one.
/// </summary>
public sealed class LaneDecision
{
    public static readonly LaneDecision Baseline = new(null, null, null, LaneFallback.Baseline, LaneReason.Default);

    public LaneDecision(string? tag, string? laneName, string? groupName, LaneFallback fallback, LaneReason reason)
    {
        Tag = tag;
        LaneName = laneName;
        GroupName = groupName;
        Fallback = fallback;
        Reason = reason;
    }

    /// <summary>The tag to stamp and whose destinations to use; null for the baseline.</summary>
    public string? Tag { get; }

    /// <summary>The configured lane (rule) that matched, if any.</summary>
    public string? LaneName { get; }

    public string? GroupName { get; }

    public LaneFallback Fallback { get; }

    public LaneReason Reason { get; }

    public bool IsBaseline => Tag is null;

    public override string ToString() => IsBaseline ? LaneNames.Baseline + " (" + Reason + ")" : Tag + " (" + Reason + ", lane " + LaneName + ")";
}
