using BenchmarkDotNet.Attributes;
using Gateway.Host.Config;
using Gateway.Routing.Config;
using Microsoft.Extensions.Configuration;

namespace Gateway.Benchmarks;

/// <summary>
/// Loading and compiling a whole config the way start, <c>validate</c> and reload do
/// (<see cref="GatewayConfigLoader.Load"/> then <see cref="GatewayConfigLoader.Compile"/>). Every route has its own cluster
/// (baseline + gray destination); <c>WithLanes</c> adds a group per route with a header lane and a 10 % sticky canary.
/// <c>LoadAndCompile</c> starts from the JSON text; <c>CompileOnly</c> from the already parsed configuration (the part that is ours).
/// YARP's own application of the routes is not included (see the reload measurement in docs/performance.md).
/// </summary>
[MemoryDiagnoser]
public class ConfigCompileBenchmarks
{
    private string _json = "";
    private ConfigDocument _configuration = null!;

    [ParamsSource(nameof(RouteCounts))]
    public int Routes { get; set; }

    /// <summary>10, 1,000 and 10,000; <c>GATEWAY_BENCH_ROUTES=10,1000</c> picks others (a quadratic build can take minutes per operation at 10,000).</summary>
    public static IEnumerable<int> RouteCounts =>
        Environment.GetEnvironmentVariable("GATEWAY_BENCH_ROUTES") is { Length: > 0 } list
            ? list.Split(',').Select(n => int.Parse(n, System.Globalization.CultureInfo.InvariantCulture))
            : [10, 1000, 10_000];

    [Params(false, true)]
    public bool WithLanes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _json = Configs.Realistic(Routes, WithLanes).ToJsonString();
        var problems = new List<ConfigProblem>();
        _configuration = GatewayConfigLoader.Load(GatewayConfigSource.FromJson(_json), problems)!;
        var snapshot = Configs.Compile(_json);
        var expected = WithLanes ? Routes : 0;
        if (snapshot.Rules.ByRoute.Count != expected)
        {
            throw new InvalidOperationException("compiled " + snapshot.Rules.ByRoute.Count + " routes with lanes, expected " + expected);
        }
    }

    [Benchmark]
    public object LoadAndCompile() => Configs.Compile(_json);

    [Benchmark]
    public object? CompileOnly()
    {
        var problems = new List<ConfigProblem>();
        return GatewayConfigLoader.Compile(_configuration, Directory.GetCurrentDirectory(), problems);
    }
}
