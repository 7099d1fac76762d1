using System.Net;
using BenchmarkDotNet.Attributes;
using Gateway.Routing.Config;
using Gateway.Routing.Tagging;
using Microsoft.AspNetCore.Http;

namespace Gateway.Benchmarks;

/// <summary>
/// <see cref="GatewaySnapshot.Decide"/> for one request, the whole per-request lane decision (incoming-tag check, group
/// lookup by route, rules).
/// <list type="bullet">
/// <item><c>AllInOneGroup</c>: one route whose group has <c>Lanes</c> lanes; only the last one matches (worst case: every lane is evaluated).</item>
/// <item><c>GroupPerRoute</c>: <c>Lanes</c> routes with one lane each; the request's route is the last. The index by route
/// means the request sees one lane however many the config has.</item>
/// </list>
/// One kind's rows alone: <c>--filter '*RuleEvaluation*Kind: PathPrefix*'</c>.
/// </summary>
[MemoryDiagnoser]
public class RuleEvaluationBenchmarks
{
    private readonly Random _random = new(42);
    private GatewaySnapshot _oneGroup = null!;
    private GatewaySnapshot _groupPerRoute = null!;
    private HttpContext _context = null!;
    private string _lastRoute = "";

    [Params(
        RuleKind.HeaderExact, RuleKind.HeaderRegex, RuleKind.Percentage, RuleKind.CityHeader, RuleKind.CityDatabase,
        RuleKind.HeaderNot, RuleKind.QueryExact, RuleKind.PathPrefix, RuleKind.PathRegex)]
    public RuleKind Kind { get; set; }

    [Params(1, 10, 100, 1000)]
    public int Lanes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var last = Lanes - 1;
        _oneGroup = Configs.Compile(Configs.OneGroup(Kind, Lanes).ToJsonString());
        _groupPerRoute = Configs.Compile(Configs.GroupPerRoute(Kind, Lanes).ToJsonString());
        _lastRoute = "r" + Configs.Inv(last);

        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        // The path and query name the last lane's user too, for the path and query kinds.
        context.Request.Path = "/r0/" + Configs.User(last) + "/x";
        context.Request.QueryString = new QueryString("?a=1&uid=" + Configs.User(last));
        context.Request.Headers[Configs.UserHeader] = Configs.User(last);
        context.Request.Headers["X-Client-Ip-City"] = "city-" + Configs.Inv(last) + ",province,cn";
        context.Connection.RemoteIpAddress = Kind == RuleKind.CityDatabase ? IPAddress.Parse(Configs.CityAddress(last)) : IPAddress.Loopback;
        _context = context;

        // The request must reach the last lane in both shapes, or the numbers measure something else.
        Expect(_oneGroup.Decide(_context, "r0", _random).LaneName, "l" + Configs.Inv(last));
        Expect(_groupPerRoute.Decide(_context, _lastRoute, _random).LaneName, "l" + Configs.Inv(last));
    }

    private static void Expect(string? actual, string expected)
    {
        if (actual != expected)
        {
            throw new InvalidOperationException("benchmark request decided lane '" + actual + "', expected '" + expected + "'");
        }
    }

    [Benchmark]
    public object AllInOneGroup() => _oneGroup.Decide(_context, "r0", _random);

    [Benchmark]
    public object GroupPerRoute() => _groupPerRoute.Decide(_context, _lastRoute, _random);
}
