namespace Lanes.Propagation;

/// <summary>Restores the lane that was current before <see cref="LaneCapture.Enter"/> when disposed.</summary>
public readonly struct LaneScope : IDisposable
{
    private readonly LaneRequestState? _previous;

    internal LaneScope(LaneRequestState? previous) => _previous = previous;

    /// <inheritdoc/>
    public void Dispose() => LaneContext.State = _previous;
}
