namespace Lanes.Propagation;

/// <summary>Where a downstream call went, for the <c>decision</c> label.</summary>
internal enum LaneCallDecision
{
    /// <summary>No lane: the baseline.</summary>
    Baseline,

    /// <summary>An instance of the caller's lane.</summary>
    Lane,

    /// <summary>The service has no instance of the lane: the baseline by design, tag kept.</summary>
    Fallback,

    /// <summary>The lane's instances refused: the baseline, counted as an escape.</summary>
    Escaped,

    /// <summary>A <c>Reject</c> service without a usable lane instance: answered 503.</summary>
    Rejected,
}
