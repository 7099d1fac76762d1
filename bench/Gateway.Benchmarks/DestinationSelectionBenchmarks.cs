using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using Gateway.Lanes.Selection;
using Gateway.Routing.Config;
using Gateway.Routing.Tagging;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Gateway.Benchmarks;

/// <summary>
/// <see cref="LaneSelectionMiddleware"/> narrowing a cluster's destinations to the request's lane. Half of the
/// <c>Destinations</c> are baseline, the other half are spread over lanes of ten (<c>lane-0</c>, <c>lane-1</c>, ...;
/// at 10 destinations one lane of five). <c>Lane</c>: a request of the last lane; <c>Baseline</c>: an untagged request;
/// <c>Fallback</c>: a tag with no destination in the cluster (the second lookup in <c>AllDestinations</c> included);
/// <c>IndexBuild</c>: the per-list index rebuilt, which happens once each time YARP replaces the destination list
/// (health or config change), never per request.
/// </summary>
[MemoryDiagnoser]
public class DestinationSelectionBenchmarks
{
    private static readonly RequestDelegate Next = _ => Task.CompletedTask;

    private LaneSelectionMiddleware _middleware = null!;
    private DestinationState[] _destinations = null!;
    private BenchProxyFeature _proxy = null!;
    private HttpContext _lane = null!;
    private HttpContext _baseline = null!;
    private HttpContext _fallback = null!;
    private string _lastLane = "";

    [Params(10, 100, 1000)]
    public int Destinations { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var baseline = Destinations / 2;
        var lanes = Math.Max(1, (Destinations - baseline) / 10);
        _destinations = new DestinationState[Destinations];
        for (var i = 0; i < Destinations; i++)
        {
            var metadata = i < baseline ? null : new Dictionary<string, string> { ["lane"] = "lane-" + Configs.Inv((i - baseline) % lanes) };
            var config = new DestinationConfig { Address = "http://127.0.0.1:" + Configs.Inv(10_000 + i) + "/", Metadata = metadata };
            _destinations[i] = new DestinationState("d" + Configs.Inv(i), new DestinationModel(config));
        }

        _lastLane = "lane-" + Configs.Inv(lanes - 1);
        var snapshot = Configs.Compile(Configs.Proxy(1).ToJsonString());
        var cluster = new ClusterState("c0");
        var route = new RouteModel(new RouteConfig { RouteId = "r0", ClusterId = "c0" }, cluster, HttpTransformer.Default);
        _proxy = new BenchProxyFeature(route, cluster.Model, _destinations);
        _middleware = new LaneSelectionMiddleware(Next, new DestinationWarmup(TimeProvider.System, new Random(42)), NullLogger<LaneSelectionMiddleware>.Instance);
        _lane = Context(_proxy, snapshot, new LaneDecision(_lastLane, "l", "g", LaneFallback.Baseline, LaneReason.Match));
        _baseline = Context(_proxy, snapshot, LaneDecision.Baseline);
        _fallback = Context(_proxy, snapshot, new LaneDecision("not-deployed", "l", "g", LaneFallback.Baseline, LaneReason.Match));

        Check(_lane, lanes == 1 ? Destinations - baseline : 10, LaneOutcome.Lane);
        Check(_baseline, baseline, LaneOutcome.Baseline);
        Check(_fallback, baseline, LaneOutcome.Fallback);
    }

    private void Check(HttpContext context, int count, LaneOutcome outcome)
    {
        Select(context).GetAwaiter().GetResult();
        var feature = context.Features.Get<ILaneFeature>()!;
        if (_proxy.AvailableDestinations.Count != count || feature.Outcome != outcome)
        {
            throw new InvalidOperationException("selection gave " + _proxy.AvailableDestinations.Count + " destinations (" + feature.Outcome + "), expected " + count + " (" + outcome + ")");
        }
    }

    private static DefaultHttpContext Context(BenchProxyFeature proxy, GatewaySnapshot snapshot, LaneDecision decision)
    {
        var context = new DefaultHttpContext();
        context.Features.Set<IReverseProxyFeature>(proxy);
        context.Features.Set<ILaneFeature>(new LaneFeature(snapshot, decision));
        return context;
    }

    private Task Select(HttpContext context)
    {
        // YARP hands every request the full available list; the middleware replaces it with the lane's.
        _proxy.AvailableDestinations = _destinations;
        return _middleware.InvokeAsync(context);
    }

    [Benchmark]
    public Task Lane() => Select(_lane);

    [Benchmark]
    public Task Baseline() => Select(_baseline);

    [Benchmark]
    public Task Fallback() => Select(_fallback);

    [Benchmark]
    public object IndexBuild() => Build(null, _destinations, "lane");

    [UnsafeAccessor(UnsafeAccessorKind.StaticMethod, Name = "Build")]
    private static extern LaneDestinations Build(LaneDestinations? type, IReadOnlyList<DestinationState> destinations, string tagKey);

    private sealed class BenchProxyFeature(RouteModel route, ClusterModel cluster, IReadOnlyList<DestinationState> all) : IReverseProxyFeature
    {
        public RouteModel Route { get; } = route;

        public ClusterModel Cluster { get; } = cluster;

        public IReadOnlyList<DestinationState> AllDestinations { get; } = all;

        public IReadOnlyList<DestinationState> AvailableDestinations { get; set; } = all;

        public DestinationState? ProxiedDestination { get; set; }
    }
}
