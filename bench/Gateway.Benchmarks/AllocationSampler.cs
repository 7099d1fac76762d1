using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Gateway.Benchmarks;

/// <summary>
/// Which types a stretch of code allocates, from the runtime's own sampling: it reports one allocation of about
/// every 100 KB with its type, so the figures are estimates that are good for large totals (a compile of thousands of
/// routes), not for single objects. Listens in-process, so it needs no tool.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;

    private readonly ConcurrentDictionary<string, long> _bytes = new();
    private volatile bool _sampling;

    /// <summary>Samples while <paramref name="action"/> runs and prints the types that took the most.</summary>
    public void Measure(string title, Action action, int top = 15)
    {
        _bytes.Clear();
        _sampling = true;
        action();
        _sampling = false;
        Console.WriteLine($"{title}: about {_bytes.Values.Sum() / 1048576.0:0.0} MB");
        foreach (var (type, bytes) in _bytes.OrderByDescending(p => p.Value).Take(top))
        {
            Console.WriteLine($"  {bytes / 1048576.0,6:0.0} MB  {type}");
        }
    }

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!_sampling || e.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || e.PayloadNames is not { } names)
        {
            return;
        }

        var type = e.Payload![names.IndexOf("TypeName")] as string ?? "?";
        var amount = Convert.ToInt64(e.Payload[names.IndexOf("AllocationAmount64")], System.Globalization.CultureInfo.InvariantCulture);
        _bytes.AddOrUpdate(type, amount, (_, total) => total + amount);
    }
}
