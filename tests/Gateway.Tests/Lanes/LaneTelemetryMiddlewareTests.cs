using Microsoft.Extensions.Logging.Abstractions;
using Gateway.Lanes.Upstream;
using Gateway.Lanes.Diagnostics;
using Gateway.Routing.Config;
using Gateway.Routing.Tagging;
using Gateway.Tests.Support;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;
using static Gateway.Tests.Support.LaneSpec;

namespace Gateway.Tests.Lanes;

/// <summary>The recording logic with a hand-made proxy feature, for paths normal routing never takes.</summary>
public sealed class LaneTelemetryMiddlewareTests : IDisposable
{
    private readonly MeasurementCollector _collector = new();
    private readonly CapturingLoggerProvider _logs = new();
    private readonly GatewaySnapshot _snapshot = RuleHarness.Snapshot(Match("vip", "gray", Header("x-user-id", "Exact", "1")));
    private TaskCompletionSource? _pending;

    private static DestinationState Destination(string id, string? lane) =>
        new(id, new DestinationModel(new DestinationConfig
        {
            Address = "http://127.0.0.1:1/",
            Metadata = lane is null ? null : new Dictionary<string, string> { ["lane"] = lane },
        }));

    private async Task<DefaultHttpContext> RunAsync(LaneDecision decision, LaneOutcome outcome, DestinationState? served, int status = 200, string? servedLaneHeader = null)
    {
        var destinations = new[] { Destination("base-1", null), Destination("gray-1", "gray") };
        var context = new DefaultHttpContext();
        context.Features.Set<IReverseProxyFeature>(new FakeProxyFeature(destinations));
        context.Features.Set<ILaneFeature>(new LaneFeature(_snapshot, decision) { Outcome = outcome });
        using var loggers = LoggerFactory.Create(b => b.AddProvider(_logs));
        var metrics = new LaneMetrics(_collector.Factory, new EmptyProxyState(), new GatewaySnapshotSource(_snapshot));
        var middleware = new LaneTelemetryMiddleware(
            ctx =>
            {
                ctx.GetReverseProxyFeature().ProxiedDestination = served;
                ctx.Response.StatusCode = status;
                if (servedLaneHeader is not null)
                {
                    ctx.Response.Headers["x-served-lane"] = servedLaneHeader;
                }

                return Task.CompletedTask;
            },
            metrics,
            loggers,
            TimeProvider.System);

        await middleware.InvokeAsync(context);
        return context;
    }

    /// <summary>
    /// The host's budget is kept by this middleware, which awaits the pipeline anyway: a middleware of its own cost
    /// every proxied request an async frame. With a budget, a request that completes later allocates no more here.
    /// </summary>
    [Fact]
    public void InvokeAsync_WithABudget_AllocatesNoMorePerRequestThanWithout()
    {
        var withBudget = Middleware(new Budget(places: 1));
        var without = Middleware(null);

        var allocatedWith = Allocations.PerCall(() => Complete(withBudget));
        var allocatedWithout = Allocations.PerCall(() => Complete(without));

        allocatedWith.Should().BeLessThanOrEqualTo(allocatedWithout);
    }

    [Fact]
    public async Task InvokeAsync_BudgetSpent_Answers503WithoutProxyingOrCounting()
    {
        var budget = new Budget(places: 0);
        var proxied = false;
        var middleware = Middleware(budget, _ => { proxied = true; return Task.CompletedTask; });
        var context = new DefaultHttpContext();
        context.Features.Set<IReverseProxyFeature>(new FakeProxyFeature([]));

        await middleware.InvokeAsync(context);

        (context.Response.StatusCode, proxied, budget.Exits).Should().Be((503, false, 0));
        _collector.Tags("gateway.lane.requests").Should().BeEmpty();
    }

    [Fact]
    public async Task InvokeAsync_PipelineThrows_PlaceGivenBack()
    {
        var budget = new Budget(places: 1);
        var middleware = Middleware(budget, _ => throw new InvalidOperationException("backend pipeline failed"));

        var invoke = () => middleware.InvokeAsync(new DefaultHttpContext());

        await invoke.Should().ThrowAsync<InvalidOperationException>();
        (budget.Entered, budget.Exits).Should().Be((1, 1));
    }

    private LaneTelemetryMiddleware Middleware(IProxyRequestBudget? budget, RequestDelegate? next = null) => new(
        next ?? (_ => (_pending = new TaskCompletionSource()).Task),
        new LaneMetrics(_collector.Factory, new EmptyProxyState(), new GatewaySnapshotSource(_snapshot)),
        NullLoggerFactory.Instance,
        TimeProvider.System,
        budget);

    /// <summary>Runs one request whose pipeline completes after the middleware has awaited it, as a proxied request's does.</summary>
    private void Complete(LaneTelemetryMiddleware middleware)
    {
        var request = middleware.InvokeAsync(new DefaultHttpContext());
        _pending!.SetResult();
        request.GetAwaiter().GetResult();
    }

    private sealed class Budget(int places) : IProxyRequestBudget
    {
        public int Entered { get; private set; }

        public int Exits { get; private set; }

        public ProxyRequestPlace TryEnter(HttpContext context) =>
            new(Entered - Exits < places && ++Entered > 0 ? ProxyRequestRefusal.None : ProxyRequestRefusal.Overloaded);

        public void Exit(ProxyRequestPlace place) => Exits++;
    }

    [Fact]
    public async Task Record_UntaggedRequestServedByLaneDestination_CountsBaselineToLaneEscape()
    {
        await RunAsync(LaneDecision.Baseline, LaneOutcome.Baseline, Destination("gray-1", "gray"));

        _collector.Tags("gateway.lane.escapes").Should().ContainSingle().Which.Should().Contain(new Dictionary<string, string?>
        {
            ["route"] = "orders", ["cluster"] = "orders", ["lane"] = "base", ["served_lane"] = "gray", ["kind"] = "baseline_to_lane",
        });
    }

    [Fact]
    public async Task Record_BackendReportsAnotherLane_CountsUpstreamEscape()
    {
        var gray = _snapshot.TagDecisions["gray"];

        await RunAsync(gray, LaneOutcome.Lane, Destination("gray-1", "gray"), servedLaneHeader: "base");

        _collector.Tags("gateway.lane.escapes").Should().ContainSingle().Which.Should().Contain(new Dictionary<string, string?>
        {
            ["lane"] = "gray", ["served_lane"] = "base", ["kind"] = "upstream",
        });
    }

    [Fact]
    public async Task Record_BackendReportsUnknownLane_LabelsItOther()
    {
        await RunAsync(LaneDecision.Baseline, LaneOutcome.Baseline, Destination("base-1", null), servedLaneHeader: "evil\"}label");

        _collector.Tags("gateway.lane.escapes").Should().ContainSingle().Which["served_lane"].Should().Be("other");
    }

    [Fact]
    public async Task Record_TrustedClientTagNobodyConfigured_LabelsItOther()
    {
        var clientTag = new LaneDecision("dev-mallory-" + Guid.NewGuid(), null, null, LaneFallback.Baseline, LaneReason.IncomingTag);

        await RunAsync(clientTag, LaneOutcome.Fallback, Destination("base-1", null));

        var request = _collector.Tags("gateway.lane.requests").Should().ContainSingle().Subject;
        (request["lane"], request["served_lane"], request["decision"]).Should().Be(("other", "base", "fallback"));
    }

    [Fact]
    public async Task Record_EscapedRequest_CountsRequestAndLaneToBaselineEscape()
    {
        await RunAsync(_snapshot.TagDecisions["gray"], LaneOutcome.Escaped, Destination("base-1", null), status: 502);

        _collector.Tags("gateway.lane.requests").Should().ContainSingle().Which["decision"].Should().Be("escaped");
        _collector.Tags("gateway.lane.escapes").Should().ContainSingle().Which["kind"].Should().Be("lane_to_baseline");
        _collector.Tags("gateway.lane.request.duration").Should().ContainSingle().Which["status_class"].Should().Be("5xx");
    }

    [Fact]
    public async Task Record_RejectedRequest_ServedLaneIsNone_AndOneAccessLogLine()
    {
        await RunAsync(_snapshot.TagDecisions["gray"], LaneOutcome.Rejected, served: null, status: 503);

        _collector.Tags("gateway.lane.requests").Should().ContainSingle().Which["served_lane"].Should().Be("none");
        _collector.Tags("gateway.lane.escapes").Should().BeEmpty();
        var line = _logs.Entries.Should().ContainSingle(e => e.Category == LaneTelemetryMiddleware.AccessLogCategory).Subject;
        line.EventId.Id.Should().Be(2100);
        line.State.Should().Contain(new KeyValuePair<string, object?>("LaneTag", "gray")).And.Contain(new KeyValuePair<string, object?>("StatusCode", 503));
    }

    public void Dispose() => _collector.Dispose();

    private sealed class EmptyProxyState : Yarp.ReverseProxy.IProxyStateLookup
    {
        public bool TryGetRoute(string id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RouteModel? route)
        {
            route = null;
            return false;
        }

        public IEnumerable<RouteModel> GetRoutes() => [];

        public bool TryGetCluster(string id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ClusterState? cluster)
        {
            cluster = null;
            return false;
        }

        public IEnumerable<ClusterState> GetClusters() => [];
    }
}
