using Gateway.Host.Config;
using Gateway.Routing.Config;

namespace Gateway.Benchmarks;

/// <summary>
/// The gateway's own part of a grow reload (read, check and compile the large config with the small one serving, as
/// the config watcher does; YARP's apply not included): what it allocates, and what stays alive after it for the
/// collector to promote. Allocations and the heap after do not depend on the machine's load; the promotions depend on
/// when the collections fall.
/// </summary>
internal static class GrowMemory
{
    public static void Run(string small, string big, int runs)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(small))!;
        CompiledConfig? applied = null;
        void Apply(string file)
        {
            var problems = new List<ConfigProblem>();
            var document = ConfigDocument.Parse(File.ReadAllBytes(file), file, problems)!;
            var compiled = GatewayConfigLoader.Compile(document, directory, problems, applied) ?? throw new InvalidOperationException(string.Join("; ", problems));
            applied?.Document.Release();
            applied = compiled;
        }

        for (var warmUp = 0; warmUp < 2; warmUp++)
        {
            Apply(small);
            Apply(big);
        }

        using var promotions = new GcPromotions();
        for (var run = 0; run < runs; run++)
        {
            Apply(small);
            var heap = GcPromotions.SmallObjectHeap();
            var (promoted, collections) = promotions.Read();
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            Apply(big);
            allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
            var (promotedAfter, collectionsAfter) = promotions.Read();
            heap = GcPromotions.SmallObjectHeap() - heap;
            Console.WriteLine($"run {run}: grow compile allocated {GcPromotions.Mb(allocated)}; {collectionsAfter - collections} collections promoted "
                + $"{GcPromotions.Mb(promotedAfter - promoted)}; small-object heap after +{GcPromotions.Mb(heap)}");
        }
    }
}
