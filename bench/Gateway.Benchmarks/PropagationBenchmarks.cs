using System.Diagnostics;
using System.Net;
using BenchmarkDotNet.Attributes;
using Lanes.Propagation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.ServiceDiscovery;

namespace Gateway.Benchmarks;

/// <summary>
/// What Lanes.Propagation costs a service per request. <c>Inbound*</c>: <c>UseLanes()</c>'s middleware on a request
/// without a lane, with <c>x-mse-tag</c>, and with only a baggage entry (among others), for a lane the configuration
/// names (<c>gray</c>) and one it does not (<c>dev-alice</c>), and an untrusted caller's request under tracing.
/// <c>Stamp*</c>: writing the tag header and the baggage entry on an outgoing call, without and with baggage already
/// on it or on the current activity. <c>Route*</c>: the routing handler choosing the endpoint of a call to
/// <c>http://payments</c> (ServiceDiscovery from configuration, resolved once in the setup), with an inner handler that
/// answers at once, so only the package's own work is measured. The served-lane header is written through
/// <c>OnStarting</c>, which a <see cref="DefaultHttpContext"/> does not run (Kestrel's costs are not in these numbers).
/// </summary>
[MemoryDiagnoser]
public class PropagationBenchmarks
{
    private const string Unconfigured = "dev-alice";

    private static readonly RequestDelegate Next = _ => Task.CompletedTask;

    private ServiceProvider _services = null!;
    private LaneMiddleware _middleware = null!;
    private LaneMiddleware _untrustingMiddleware = null!;
    private LaneSettings _settings = null!;
    private DefaultHttpContext _none = null!;
    private DefaultHttpContext _tag = null!;
    private DefaultHttpContext _baggage = null!;
    private DefaultHttpContext _tagUnconfigured = null!;
    private DefaultHttpContext _baggageUnconfigured = null!;
    private DefaultHttpContext _untrusted = null!;
    private HttpRequestMessage _call = null!;
    private HttpRequestMessage _callWithBaggage = null!;
    private Activity _laneActivity = null!;
    private Activity _baggageActivity = null!;
    private Activity _untrustedActivity = null!;
    private HttpMessageInvoker _router = null!;
    private HttpRequestMessage _routed = null!;
    private LaneRequestState _grayState = null!;
    private LaneRequestState _unconfiguredState = null!;

    [GlobalSetup]
    public void Setup()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Services:payments:http:0"] = "http://127.0.0.1:5001",
            ["Services:payments:gray:0"] = "http://127.0.0.1:5002",
        }).Build();
        _services = new ServiceCollection().AddMetrics().AddSingleton<IConfiguration>(configuration).AddServiceDiscovery().BuildServiceProvider();
        var meters = _services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        var metrics = new LanesMetrics(meters);
        _settings = new LaneSettings(new LanesOptions { Lane = "gray" }, configuration);
        _middleware = new LaneMiddleware(Next, _settings, metrics);
        _untrustingMiddleware = new LaneMiddleware(Next, new LaneSettings(new LanesOptions { Lane = "gray", TrustedNetworks = ["10.0.0.0/8"] }), metrics);
        _none = new DefaultHttpContext();
        _tag = Request("x-mse-tag", "gray");
        _baggage = Request("baggage", "user=42,lane=gray;ttl=3,region=eu");
        _tagUnconfigured = Request("x-mse-tag", Unconfigured);
        _baggageUnconfigured = Request("baggage", "user=42,lane=" + Unconfigured + ";ttl=3,region=eu");
        _untrusted = new DefaultHttpContext();
        _untrusted.Connection.RemoteIpAddress = IPAddress.Loopback;
        _call = new HttpRequestMessage(HttpMethod.Get, "http://payments/charge");
        _callWithBaggage = new HttpRequestMessage(HttpMethod.Get, "http://payments/charge");
        _laneActivity = Running(new Activity("lane-only").AddBaggage("lane", "gray"));
        _baggageActivity = Running(new Activity("with-baggage").AddBaggage("user", "42").AddBaggage("lane", "gray").AddBaggage("region", "eu"));
        _untrustedActivity = Running(new Activity("untrusted").AddBaggage("user", "42").AddBaggage("region", "eu"));
        _router = new HttpMessageInvoker(new LaneRoutingHandler(_services.GetRequiredService<ServiceEndpointResolver>(), _settings, metrics, new LaneTargets())
        {
            InnerHandler = new AnswerAtOnce(),
        });
        _routed = new HttpRequestMessage(HttpMethod.Get, "http://payments/charge");
        _grayState = new LaneRequestState("gray", "gray");
        _unconfiguredState = new LaneRequestState(Unconfigured, "gray");
        Check();
    }

    [Benchmark]
    public Task InboundNoLane() => _middleware.InvokeAsync(_none);

    [Benchmark]
    public Task InboundTag() => _middleware.InvokeAsync(_tag);

    [Benchmark]
    public Task InboundBaggage() => _middleware.InvokeAsync(_baggage);

    [Benchmark]
    public Task InboundTagUnconfigured() => _middleware.InvokeAsync(_tagUnconfigured);

    [Benchmark]
    public Task InboundBaggageUnconfigured() => _middleware.InvokeAsync(_baggageUnconfigured);

    /// <summary>An untrusted caller's request while tracing puts its baggage (without a lane) on the activity.</summary>
    [Benchmark]
    public Task InboundUntrustedTraced()
    {
        Activity.Current = _untrustedActivity;
        return _untrustingMiddleware.InvokeAsync(_untrusted);
    }

    [Benchmark]
    public void Stamp()
    {
        Activity.Current = null;
        _call.Headers.Remove("baggage");
        LanePropagationHandler.Stamp(_call.Headers, "gray", _settings);
    }

    [Benchmark]
    public void StampUnconfigured()
    {
        Activity.Current = null;
        _call.Headers.Remove("baggage");
        LanePropagationHandler.Stamp(_call.Headers, Unconfigured, _settings);
    }

    [Benchmark]
    public void StampMergingBaggage()
    {
        Activity.Current = null;
        _callWithBaggage.Headers.Remove("baggage");
        _callWithBaggage.Headers.TryAddWithoutValidation("baggage", "user=42,region=eu");
        LanePropagationHandler.Stamp(_callWithBaggage.Headers, "gray", _settings);
    }

    /// <summary>A traced lane request: the middleware put the lane on the activity's baggage.</summary>
    [Benchmark]
    public void StampTracedLaneOnly()
    {
        Activity.Current = _laneActivity;
        _call.Headers.Remove("baggage");
        LanePropagationHandler.Stamp(_call.Headers, "gray", _settings);
    }

    /// <summary>A traced lane request whose caller sent other baggage members too.</summary>
    [Benchmark]
    public void StampTracedWithOtherBaggage()
    {
        Activity.Current = _baggageActivity;
        _call.Headers.Remove("baggage");
        LanePropagationHandler.Stamp(_call.Headers, "gray", _settings);
    }

    [Benchmark]
    public Task<HttpResponseMessage> RouteNoLane()
    {
        LaneContext.State = null;
        return _router.SendAsync(_routed, CancellationToken.None);
    }

    [Benchmark]
    public Task<HttpResponseMessage> RouteLane()
    {
        LaneContext.State = _grayState;
        return _router.SendAsync(_routed, CancellationToken.None);
    }

    /// <summary>A lane no configuration names and <c>payments</c> does not have: the baseline, tag kept.</summary>
    [Benchmark]
    public Task<HttpResponseMessage> RouteLaneUnconfigured()
    {
        LaneContext.State = _unconfiguredState;
        return _router.SendAsync(_routed, CancellationToken.None);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Activity.Current = null;
        LaneContext.State = null;
        _call.Dispose();
        _callWithBaggage.Dispose();
        _routed.Dispose();
        _router.Dispose();
        _services.Dispose();
    }

    /// <summary>Only a started activity can be made current; each has no parent and stays started.</summary>
    private static Activity Running(Activity activity)
    {
        Activity.Current = null;
        activity.Start();
        Activity.Current = null;
        return activity;
    }

    private static DefaultHttpContext Request(string header, string value)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers[header] = value;
        return context;
    }

    private void Check()
    {
        if (_middleware.ReadLane(_tag.Request.Headers) != "gray" || _middleware.ReadLane(_baggage.Request.Headers) != "gray"
            || _middleware.ReadLane(_tagUnconfigured.Request.Headers) != Unconfigured || _middleware.ReadLane(_baggageUnconfigured.Request.Headers) != Unconfigured)
        {
            throw new InvalidOperationException("the benchmark's requests are not read in their lanes");
        }

        StampTracedWithOtherBaggage();
        if (_call.Headers.GetValues("baggage").Single() is var stamped && !stamped.Contains("user=42", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("the activity's baggage was not carried along: " + stamped);
        }

        Activity.Current = null;

        var answer = AnswerAtOnce.Response;
        string?[] expected = ["127.0.0.1:5001", "127.0.0.1:5002", "127.0.0.1:5001"];
        Func<Task<HttpResponseMessage>>[] routes = [RouteNoLane, RouteLane, RouteLaneUnconfigured];
        for (var i = 0; i < routes.Length; i++)
        {
            if (!ReferenceEquals(routes[i]().GetAwaiter().GetResult(), answer) || AnswerAtOnce.LastUri?.Authority != expected[i])
            {
                throw new InvalidOperationException("route " + i + " went to " + AnswerAtOnce.LastUri + ", not " + expected[i]);
            }
        }

        LaneContext.State = null;
    }

    /// <summary>The end of the handler chain: records where the call went and answers at once.</summary>
    private sealed class AnswerAtOnce : HttpMessageHandler
    {
        public static readonly HttpResponseMessage Response = new(HttpStatusCode.OK);

        private static readonly Task<HttpResponseMessage> Answer = Task.FromResult(Response);

        public static Uri? LastUri { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            LastUri = request.RequestUri;
            return Answer;
        }
    }
}
