namespace Gateway.Tests.Support;

/// <summary>What a call allocates on the calling thread, measured after warm-up (tiered JIT first runs allocate too).</summary>
internal static class Allocations
{
    /// <summary>
    /// Bytes allocated per call, averaged over 100 calls after 10 to warm up; the least of three such runs. A full
    /// collection meanwhile (other tests run beside this one) trims the shared array pools, and a call renting from
    /// one then allocates its buffer again once: that is not what the call costs each time.
    /// </summary>
    public static long PerCall(Action call)
    {
        for (var i = 0; i < 10; i++)
        {
            call();
        }

        const int Calls = 100;
        var least = long.MaxValue;
        for (var run = 0; run < 3; run++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < Calls; i++)
            {
                call();
            }

            least = Math.Min(least, (GC.GetAllocatedBytesForCurrentThread() - before) / Calls);
        }

        return least;
    }
}
