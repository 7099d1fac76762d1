namespace Gateway.Lanes.Diagnostics;

/// <summary>How a request left its lane.</summary>
public enum EscapeKind
{
    /// <summary>The lane has destinations in the cluster but none was usable, so the baseline served it.</summary>
    LaneToBaseline,

    /// <summary>An untagged request reached a lane destination (must never happen; a safety net).</summary>
    BaselineToLane,

    /// <summary>The backend reported (served-lane header) a lane other than the request's: an escape deeper in the chain.</summary>
    Upstream,
}
