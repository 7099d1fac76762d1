using System.Diagnostics;
using BenchmarkDotNet.Running;
using Gateway.Host.Config;
using Gateway.Routing.Config;

namespace Gateway.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release -- --filter '*'</c> runs every benchmark (add <c>--job short</c> for a quick pass);
/// <c>--filter '*RuleEvaluation*'</c> one class. Every benchmark checks its own result once in its setup,
/// so a table never shows the speed of a request that went to the wrong lane.
/// <c>dotnet run -c Release -- compile-stages 10000 [lanes|no-lanes] [RUNS]</c> times the stages of one config compile without BenchmarkDotNet
/// (for sizes where one operation takes seconds) and what each allocates; <c>compile-allocations 10000</c> samples which
/// types those stages allocate; <c>write-config 10000 FILE</c> writes the compile benchmark's config.
/// <c>grow-memory [SMALL BIG]</c> measures what compiling BIG with SMALL serving allocates and leaves alive, and
/// <c>grow-reload [SMALL BIG PATH]</c> the same for a whole reload in a running gateway (PATH answers only under BIG);
/// with no files both run on <c>bench/load.sh</c>'s reload configs, <c>lanes</c> and the 10,000-route <c>big</c>.
/// <c>regex-worst [LIMIT]</c> times the worst Regex rule an automaton limit lets through (<see cref="RegexWorstCase"/>).
/// <c>config NAME --base-port P --gray-port P [--routes N]</c> prints one of load.sh's gateway configs (<see cref="LoadConfigs"/>).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args is ["regex-worst", ..])
        {
            RegexWorstCase.Run(args is [_, var limit, ..] ? int.Parse(limit, System.Globalization.CultureInfo.InvariantCulture) : null);
            return 0;
        }

        if (args is ["config", ..])
        {
            return ConfigCommand.Run(args.AsSpan(1));
        }

        if (args is ["grow-memory", var small, var big, ..])
        {
            GrowMemory.Run(small, big, runs: 3);
            return 0;
        }

        if (args is ["grow-memory"])
        {
            using var files = new LoadConfigFiles(routes: 10_000);
            GrowMemory.Run(files.Small, files.Big, runs: 3);
            return 0;
        }

        if (args is ["grow-reload", var from, var to, var probe, ..])
        {
            GrowReload.RunAsync(from, to, probe, runs: 4).GetAwaiter().GetResult();
            return 0;
        }

        if (args is ["grow-reload"])
        {
            using var files = new LoadConfigFiles(routes: 10_000);
            GrowReload.RunAsync(files.Small, files.Big, files.GrowProbe, runs: 4).GetAwaiter().GetResult();
            return 0;
        }

        if (args is ["compile-allocations", var size, ..])
        {
            CompileAllocations(int.Parse(size, System.Globalization.CultureInfo.InvariantCulture));
            return 0;
        }

        if (args is ["compile-stages", var routes, ..])
        {
            CompileStages(int.Parse(routes, System.Globalization.CultureInfo.InvariantCulture), withLanes: args is not [_, _, "no-lanes", ..],
                args is [_, _, _, var runs, ..] ? int.Parse(runs, System.Globalization.CultureInfo.InvariantCulture) : 3);
            return 0;
        }

        if (args is ["write-config", var count, var file, ..])
        {
            var lanes = args is not [_, _, _, "no-lanes"];
            File.WriteAllText(file, Configs.Realistic(int.Parse(count, System.Globalization.CultureInfo.InvariantCulture), lanes).ToJsonString());
            return 0;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }

    private static void CompileStages(int routes, bool withLanes, int runs)
    {
        var json = Configs.Realistic(routes, withLanes).ToJsonString();
        Console.WriteLine($"{routes} routes, lanes: {withLanes}, JSON {json.Length / 1024} KiB");
        for (var run = 0; run < runs; run++)
        {
            var problems = new List<ConfigProblem>();
            var total = Stopwatch.StartNew();
            var watch = Stopwatch.StartNew();
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var configuration = GatewayConfigLoader.Load(GatewayConfigSource.FromJson(json), problems)!;
            var load = watch.Elapsed;
            var loadBytes = Allocated(ref allocated);
            watch.Restart();
            var routeIds = ProxyConfigReader.Read(configuration.Section(ProxyConfigReader.SectionName), new ConfigReader(problems), ProxyConfigValidator.Standalone, ProxyConfigSet.Empty).RouteIds;
            var proxyChecks = watch.Elapsed;
            var proxyChecksBytes = Allocated(ref allocated);
            watch.Restart();
            var options = LanesReader.Read(configuration.Section(LanesOptions.SectionName), new ConfigReader(problems), ConfigEntries<LaneGroupOptions>.Empty).Options;
            var read = watch.Elapsed;
            var readBytes = Allocated(ref allocated);
            watch.Restart();
            var snapshot = GatewaySnapshotCompiler.Compile(options, routeIds, ".", "rev", problems);
            var compile = watch.Elapsed;
            var compileBytes = Allocated(ref allocated);
            watch.Restart();
            var full = GatewayConfigLoader.Compile(configuration, ".", problems);
            var whole = watch.Elapsed;
            var wholeBytes = Allocated(ref allocated);
            if (snapshot is null || full is null || problems.Count > 0)
            {
                throw new InvalidOperationException(string.Join("; ", problems));
            }

            Console.WriteLine($"run {run}: JSON load {Ms(load)} {Mb(loadBytes)}, ReverseProxy read and checked {Ms(proxyChecks)} {Mb(proxyChecksBytes)}, "
                + $"Lanes read {Ms(read)} {Mb(readBytes)}, snapshot compile {Ms(compile)} {Mb(compileBytes)}; "
                + $"GatewayConfigLoader.Compile (checks+read+compile+revision) {Ms(whole)} {Mb(wholeBytes)}; total {Ms(total.Elapsed)}");
        }
    }

    /// <summary>What each stage of a compile allocates, by type (the second of two runs, so nothing is first-time).</summary>
    private static void CompileAllocations(int routes)
    {
        var json = Configs.Realistic(routes, withLanes: true).ToJsonString();
        using var sampler = new AllocationSampler();
        for (var run = 0; run < 2; run++)
        {
            var problems = new List<ConfigProblem>();
            var configuration = GatewayConfigLoader.Load(GatewayConfigSource.FromJson(json), problems)!;
            IReadOnlyCollection<string> routeIds = [];
            LanesOptions options = new();
            var title = run == 0 ? "(warm-up) " : "";
            sampler.Measure(title + "ReverseProxy read and checked", () => routeIds = ProxyConfigReader.Read(configuration.Section(ProxyConfigReader.SectionName), new ConfigReader(problems), ProxyConfigValidator.Standalone, ProxyConfigSet.Empty).RouteIds);
            sampler.Measure(title + "Lanes read", () => options = LanesReader.Read(configuration.Section(LanesOptions.SectionName), new ConfigReader(problems), ConfigEntries<LaneGroupOptions>.Empty).Options);
            sampler.Measure(title + "snapshot compile", () => GatewaySnapshotCompiler.Compile(options, routeIds, ".", "rev", problems));
            if (problems.Count > 0)
            {
                throw new InvalidOperationException(string.Join("; ", problems));
            }
        }
    }

    private static long Allocated(ref long before)
    {
        var now = GC.GetAllocatedBytesForCurrentThread();
        var delta = now - before;
        before = now;
        return delta;
    }

    private static string Mb(long bytes) => "(" + (bytes / (1024.0 * 1024)).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " MB allocated)";

    private static string Ms(TimeSpan time) => time.TotalMilliseconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " ms";
}
