namespace Gateway.Tests.Support;

/// <summary>What a call allocates on the calling thread, measured after warm-up (tiered JIT first runs allocate too).</summary>
internal static class Allocations
{
    /// <summary>Bytes allocated per call, averaged over 100 calls after 10 to warm up.</summary>
    public static long PerCall(Action call)
    {
        for (var i = 0; i < 10; i++)
        {
            call();
        }

        const int Calls = 100;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Calls; i++)
        {
            call();
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / Calls;
    }
}
