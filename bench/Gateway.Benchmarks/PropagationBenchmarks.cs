using BenchmarkDotNet.Attributes;
using Lanes.Propagation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Benchmarks;

/// <summary>
/// What Lanes.Propagation costs a service per request. <c>Inbound*</c>: <c>UseLanes()</c>'s middleware on a request
/// without a lane, with <c>x-mse-tag</c>, and with only a baggage entry (among others); <c>Stamp*</c>: writing the tag
/// header and the baggage entry on an outgoing call, without and with baggage already on it. The served-lane header
/// is written through <c>OnStarting</c>, which a <see cref="DefaultHttpContext"/> does not run (Kestrel's costs are not
/// in these numbers).
/// </summary>
[MemoryDiagnoser]
public class PropagationBenchmarks
{
    private static readonly RequestDelegate Next = _ => Task.CompletedTask;

    private ServiceProvider _services = null!;
    private LaneMiddleware _middleware = null!;
    private LaneSettings _settings = null!;
    private DefaultHttpContext _none = null!;
    private DefaultHttpContext _tag = null!;
    private DefaultHttpContext _baggage = null!;
    private HttpRequestMessage _call = null!;
    private HttpRequestMessage _callWithBaggage = null!;

    [GlobalSetup]
    public void Setup()
    {
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var options = new LanesOptions { Lane = "gray" };
        _settings = new LaneSettings(options);
        _middleware = new LaneMiddleware(Next, _settings, new LanesMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        _none = new DefaultHttpContext();
        _tag = new DefaultHttpContext();
        _tag.Request.Headers["x-mse-tag"] = "gray";
        _baggage = new DefaultHttpContext();
        _baggage.Request.Headers["baggage"] = "user=42,lane=gray;ttl=3,region=eu";
        _call = new HttpRequestMessage(HttpMethod.Get, "http://payments/charge");
        _callWithBaggage = new HttpRequestMessage(HttpMethod.Get, "http://payments/charge");
        if (_middleware.ReadLane(_tag.Request.Headers) != "gray" || _middleware.ReadLane(_baggage.Request.Headers) != "gray")
        {
            throw new InvalidOperationException("the benchmark's requests are not read as gray");
        }
    }

    [Benchmark]
    public Task InboundNoLane() => _middleware.InvokeAsync(_none);

    [Benchmark]
    public Task InboundTag() => _middleware.InvokeAsync(_tag);

    [Benchmark]
    public Task InboundBaggage() => _middleware.InvokeAsync(_baggage);

    [Benchmark]
    public void Stamp()
    {
        _call.Headers.Remove("baggage");
        LanePropagationHandler.Stamp(_call.Headers, "gray", _settings);
    }

    [Benchmark]
    public void StampMergingBaggage()
    {
        _callWithBaggage.Headers.Remove("baggage");
        _callWithBaggage.Headers.TryAddWithoutValidation("baggage", "user=42,region=eu");
        LanePropagationHandler.Stamp(_callWithBaggage.Headers, "gray", _settings);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _call.Dispose();
        _callWithBaggage.Dispose();
        _services.Dispose();
    }
}
