using System.Diagnostics.Tracing;

namespace Gateway.Benchmarks;

/// <summary>
/// What the collections promote out of generations 0 and 1 while it listens (the runtime's GCHeapStats events,
/// in-process), and what the heap holds after a full blocking collection: the two figures that decide how long a large
/// reload's collections pause the requests.
/// </summary>
internal sealed class GcPromotions : EventListener
{
    private long _promoted;
    private int _collections;

    /// <summary>
    /// Bytes promoted out of generations 0 and 1 so far, and the collections that did it. The runtime's events reach
    /// an in-process listener through a dispatch thread, late: it waits for those of the collections just done.
    /// </summary>
    public (long Promoted, int Collections) Read()
    {
        Thread.Sleep(500);
        return (Interlocked.Read(ref _promoted), Volatile.Read(ref _collections));
    }

    /// <summary>The small-object heap after two full blocking collections (the large-object heap is never copied).</summary>
    public static long SmallObjectHeap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var generations = GC.GetGCMemoryInfo(GCKind.FullBlocking).GenerationInfo;
        return generations[0].SizeAfterBytes + generations[1].SizeAfterBytes + generations[2].SizeAfterBytes;
    }

    public static string Mb(long bytes) => (bytes / 1048576.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " MB";

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Informational, (EventKeywords)0x1);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName?.StartsWith("GCHeapStats", StringComparison.Ordinal) != true || e.PayloadNames is not { } names)
        {
            return;
        }

        var promoted = Convert.ToInt64(e.Payload![names.IndexOf("TotalPromotedSize0")], System.Globalization.CultureInfo.InvariantCulture)
            + Convert.ToInt64(e.Payload[names.IndexOf("TotalPromotedSize1")], System.Globalization.CultureInfo.InvariantCulture);
        Interlocked.Add(ref _promoted, promoted);
        Interlocked.Increment(ref _collections);
    }
}
