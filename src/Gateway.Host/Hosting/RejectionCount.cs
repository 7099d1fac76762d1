namespace Gateway.Host.Hosting;

/// <summary>
/// Rejections of one kind: their total since start (for <c>gateway_overload_rejections_total</c>), and those since the
/// last warning, which is due at most once per interval (a flood must not flood the log).
/// </summary>
internal sealed class RejectionCount(TimeProvider time)
{
    private static readonly TimeSpan WarningInterval = TimeSpan.FromSeconds(30);

    private long _total;
    private long _sinceWarning;
    private long _lastWarning;

    public long Total => Interlocked.Read(ref _total);

    /// <summary>Counts a rejection; the number since the last warning when one is due now, else null.</summary>
    public long? Add()
    {
        Interlocked.Increment(ref _total);
        Interlocked.Increment(ref _sinceWarning);
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref _lastWarning);
        return (last == 0 || time.GetElapsedTime(last, now) >= WarningInterval) && Interlocked.CompareExchange(ref _lastWarning, now, last) == last
            ? Interlocked.Exchange(ref _sinceWarning, 0)
            : null;
    }
}
