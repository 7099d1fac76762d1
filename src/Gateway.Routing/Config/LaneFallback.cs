namespace Gateway.Routing.Config;

/// <summary>What happens to a lane's request when the route's cluster has no usable destination of the lane.</summary>
public enum LaneFallback
{
    /// <summary>Send it to the baseline, keeping the tag so later hops can re-enter the lane.</summary>
    Baseline,

    /// <summary>Answer 503 naming the lane.</summary>
    Reject,
}
