using Lanes.Wire;
namespace Lanes.Propagation;

/// <summary>
/// The lane of the work in progress. Set by <c>app.UseLanes()</c> for each request; flows with the
/// <see cref="ExecutionContext"/> into <c>await</c>s, <c>Task.Run</c> and timers created during the request, so work
/// that outlives the request (a timer, a background loop) stays in its lane for good: create such work inside
/// <c>Enter(null)</c>. Work that is handed over without the execution context (a queue read by a hosted service, a
/// channel) takes the lane along with <see cref="Capture"/> and restores it with <see cref="LaneCapture.Enter"/>.
/// </summary>
public static class LaneContext
{
    private static readonly AsyncLocal<LaneRequestState?> s_state = new();

    /// <summary>The current lane tag, or <see langword="null"/> for the baseline.</summary>
    public static string? Current => s_state.Value?.Lane;

    internal static LaneRequestState? State
    {
        get => s_state.Value;
        set => s_state.Value = value;
    }

    /// <summary>Captures the current lane to restore it later, elsewhere: <c>using (captured.Enter()) { ... }</c>.</summary>
    public static LaneCapture Capture() => new(s_state.Value);

    /// <summary>
    /// Makes <paramref name="lane"/> current until the scope is disposed, for work that carries the lane in a form of
    /// its own (a message header). An invalid tag (not 1-64 characters of <c>A-Z a-z 0-9 . _ -</c>), <c>base</c> or
    /// <see langword="null"/> means the baseline.
    /// </summary>
    public static LaneScope Enter(string? lane) =>
        new LaneCapture(lane is not null && lane != LaneWireNames.Baseline && LaneWire.IsValidTag(lane) ? new LaneRequestState(lane, lane) : null).Enter();
}
