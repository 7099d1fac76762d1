namespace Gateway.Routing.Tagging;

/// <summary>Why a request is in its lane.</summary>
public enum LaneReason
{
    /// <summary>No lane matched: the baseline.</summary>
    Default,

    /// <summary>A lane's match conditions held.</summary>
    Match,

    /// <summary>The request fell in a percentage lane's share.</summary>
    Percentage,

    /// <summary>A lane with tag <c>base</c> took the request: the baseline, untagged, later lanes not tried.</summary>
    Pinned,

    /// <summary>The client sent the tag and is trusted to (<c>Lanes:IncomingTag</c>).</summary>
    IncomingTag,
}
