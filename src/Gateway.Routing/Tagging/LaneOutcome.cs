namespace Gateway.Routing.Tagging;

/// <summary>
/// How destination selection served a request's lane: set by the lane selection middleware, and by connect retry when
/// the lane's destinations refuse the connection.
/// </summary>
public enum LaneOutcome
{
    /// <summary>Selection has not run (yet).</summary>
    None,

    /// <summary>Served by a destination of its lane.</summary>
    Lane,

    /// <summary>No lane: served by the baseline.</summary>
    Baseline,

    /// <summary>The lane has no destination in the cluster: served by the baseline by design (not deployed there).</summary>
    Fallback,

    /// <summary>
    /// Every destination of the lane in the cluster is draining (taken out on purpose): served by the baseline by
    /// design, tag kept. Not an escape: an operator who drains a lane's last instance has chosen the fallback.
    /// </summary>
    Drained,

    /// <summary>The lane has destinations in the cluster but none was usable: served by the baseline (an escape).</summary>
    Escaped,

    /// <summary>A strict lane without a usable destination: answered 503.</summary>
    Rejected,

    /// <summary>The cluster has no usable baseline destination for a request that needs one: answered 503.</summary>
    NoBaseline,
}
