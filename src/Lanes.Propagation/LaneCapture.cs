namespace Lanes.Propagation;

/// <summary>A lane captured by <see cref="LaneContext.Capture"/>; cheap to copy into a work item.</summary>
public readonly struct LaneCapture
{
    private readonly LaneRequestState? _state;

    internal LaneCapture(LaneRequestState? state) => _state = state;

    /// <summary>The captured lane tag, or <see langword="null"/> for the baseline.</summary>
    public string? Lane => _state?.Lane;

    /// <summary>Makes the captured lane current until the returned scope is disposed.</summary>
    public LaneScope Enter()
    {
        var previous = LaneContext.State;
        LaneContext.State = _state;
        return new LaneScope(previous);
    }
}
