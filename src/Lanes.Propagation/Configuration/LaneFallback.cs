namespace Lanes.Propagation;

/// <summary>What a call in a lane does when the target service has no usable instance of that lane.</summary>
public enum LaneFallback
{
    /// <summary>Call the service's baseline instances, keeping the lane tag so the next hop can re-enter the lane.</summary>
    Baseline,

    /// <summary>Answer the call with <c>503</c> without calling anything.</summary>
    Reject,
}
