using System.Diagnostics;
using Gateway.Tests.Support;
using Lanes.Propagation;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Propagation;

[Collection(ProcessWideTracing.Name)]
public sealed class LaneMiddlewareTests
{
    [Fact]
    public async Task Invoke_TagHeader_IsCurrentLane()
    {
        await using var service = await LaneService.StartAsync(new() { ["Lanes:Lane"] = "gray" });

        var (response, body) = await service.GetAsync("/lane", ("x-mse-tag", "gray"));

        body.Should().Be("gray");
        response.Headers.GetValues("x-served-lane").Should().Equal("gray");
    }

    [Fact]
    public async Task Invoke_BaggageOnly_IsCurrentLane()
    {
        await using var service = await LaneService.StartAsync([]);

        var (response, body) = await service.GetAsync("/lane", ("baggage", "user=7, lane=gray;ttl=3"));

        body.Should().Be("gray");
        response.Headers.GetValues("x-served-lane").Should().ContainSingle().Which.Should().Be("gray", "a baseline instance serving a lane request by design reports the lane");
    }

    [Theory]
    [InlineData("gr ay")]
    [InlineData("gray,blue")]
    [InlineData("a-tag-that-is-far-too-long-to-be-a-lane-tag-because-it-has-over-64-chars")]
    public async Task Invoke_MalformedTag_IsIgnored(string tag)
    {
        await using var service = await LaneService.StartAsync([]);

        var (response, body) = await service.GetAsync("/lane", ("x-mse-tag", tag));

        body.Should().Be("(none)");
        response.Headers.GetValues("x-served-lane").Should().Equal("base");
    }

    [Fact]
    public async Task Invoke_TagSentTwice_IsIgnored()
    {
        await using var service = await LaneService.StartAsync([]);

        var (_, body) = await service.GetAsync("/lane", ("x-mse-tag", "gray"), ("x-mse-tag", "blue"));

        body.Should().Be("(none)");
    }

    [Fact]
    public async Task Invoke_CallerOutsideTrustedNetworks_LaneIgnored()
    {
        await using var service = await LaneService.StartAsync(new() { ["Lanes:TrustedNetworks:0"] = "10.0.0.0/8" });

        var (_, tag) = await service.GetAsync("/lane", ("x-mse-tag", "gray"));
        var (_, baggage) = await service.GetAsync("/lane", ("baggage", "lane=gray"));

        tag.Should().Be("(none)");
        baggage.Should().Be("(none)");
    }

    /// <summary>OpenTelemetry's propagators in other languages decode <c>l%61ne</c> to <c>lane</c>: no spelling of an untrusted lane travels on.</summary>
    [Fact]
    public async Task Invoke_CallerOutsideTrustedNetworks_LaneInAnySpellingLeavesTheActivityBaggage()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
        };
        ActivitySource.AddActivityListener(listener);
        await using var service = await LaneService.StartAsync(new() { ["Lanes:TrustedNetworks:0"] = "10.0.0.0/8" }, endpoints: app => app.MapGet("/activity", () =>
            string.Join(',', Activity.Current!.Baggage.Select(item => item.Key).Order(StringComparer.Ordinal))));

        var (_, body) = await service.GetAsync("/activity", ("baggage", "l%61ne=gray, LANE=gray, lane%20=gray, lane=gray, lane=gray, user=7"));

        body.Should().Be("user");
    }

    [Fact]
    public async Task Invoke_CallerInTrustedNetworks_LaneKept()
    {
        await using var service = await LaneService.StartAsync(new() { ["Lanes:TrustedNetworks:0"] = "127.0.0.0/8" });

        var (_, body) = await service.GetAsync("/lane", ("x-mse-tag", "gray"));

        body.Should().Be("gray");
    }

    /// <summary>An IPv4 address written IPv4-mapped (as the gateway accepts it) never matched an IPv4 caller.</summary>
    [Fact]
    public async Task Invoke_CallerTrustedAsIPv4MappedAddress_LaneKept()
    {
        await using var service = await LaneService.StartAsync(new() { ["Lanes:TrustedNetworks:0"] = "::ffff:127.0.0.1" });

        var (_, body) = await service.GetAsync("/lane", ("x-mse-tag", "gray"));

        body.Should().Be("gray");
    }

    [Fact]
    public async Task Start_IPv4MappedNetwork_IsAProblemAsInTheGateway()
    {
        var start = () => LaneService.StartAsync(new() { ["Lanes:TrustedNetworks:0"] = "::ffff:127.0.0.0/104" });

        (await start.Should().ThrowAsync<Microsoft.Extensions.Options.OptionsValidationException>()).Which.Message.Should().Contain("Lanes:TrustedNetworks:0");
    }

    [Fact]
    public async Task Invoke_WithActivity_PutsLaneOnTagAndBaggage()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
        };
        ActivitySource.AddActivityListener(listener);
        await using var service = await LaneService.StartAsync([], endpoints: app => app.MapGet("/activity", () =>
            Activity.Current?.GetTagItem("lane.tag") + "|" + Activity.Current?.GetBaggageItem("lane")));

        var (_, body) = await service.GetAsync("/activity", ("x-mse-tag", "gray"));

        body.Should().Be("gray|gray");
    }

    [Fact]
    public async Task Invoke_TagHeaderSwitchedOff_ReadsOnlyBaggage()
    {
        await using var service = await LaneService.StartAsync(new() { ["Lanes:TagHeader"] = "" });

        var (_, tagOnly) = await service.GetAsync("/lane", ("x-mse-tag", "gray"));
        var (_, baggage) = await service.GetAsync("/lane", ("baggage", "lane=blue"));

        tagOnly.Should().Be("(none)");
        baggage.Should().Be("blue");
    }

    [Fact]
    public async Task Start_InvalidOptions_ReportsEveryProblem()
    {
        var start = () => LaneService.StartAsync(new()
        {
            ["Lanes:Lane"] = "gr ay",
            ["Lanes:TagHeader"] = "x mse",
            ["Lanes:TrustedNetworks:0"] = "10.0.0.0/99",
        });

        var error = await start.Should().ThrowAsync<Microsoft.Extensions.Options.OptionsValidationException>();
        error.Which.Failures.Should().HaveCount(3);
        error.Which.Message.Should().Contain("Lanes:Lane").And.Contain("Lanes:TagHeader").And.Contain("Lanes:TrustedNetworks:0");
    }

    [Fact]
    public async Task Start_UnknownSetting_Fails()
    {
        var start = () => LaneService.StartAsync(new() { ["Lanes:Lnae"] = "gray" });

        await start.Should().ThrowAsync<InvalidOperationException>().WithMessage("*Lnae*");
    }

    [Fact]
    public void ReadLane_KnownLaneFromBaggage_DoesNotAllocate()
    {
        using var meters = new Support.MeasurementCollector();
        var settings = new LaneSettings(new LanesOptions { Lane = "gray" });
        var middleware = new LaneMiddleware(_ => Task.CompletedTask, settings, new LanesMetrics(meters.Factory));
        var headers = new HeaderDictionary { ["baggage"] = "user=1,lane=gray" };
        middleware.ReadLane(headers);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var lane = middleware.ReadLane(headers);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        lane.Should().Be("gray");
        allocated.Should().Be(0);
    }

    /// <summary>A lane no configuration names (a developer's <c>dev-alice</c>) is kept as a string once, not copied per request.</summary>
    [Fact]
    public void ReadLane_UnconfiguredLaneFromBaggage_DoesNotAllocate()
    {
        using var meters = new Support.MeasurementCollector();
        var middleware = new LaneMiddleware(_ => Task.CompletedTask, new LaneSettings(new LanesOptions { Lane = "gray" }), new LanesMetrics(meters.Factory));
        var headers = new HeaderDictionary { ["baggage"] = "user=1,lane=dev-alice;ttl=3,region=eu" };
        var first = middleware.ReadLane(headers);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            middleware.ReadLane(headers);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        first.Should().Be("dev-alice");
        middleware.ReadLane(headers).Should().BeSameAs(first);
        allocated.Should().Be(0);
    }

    /// <summary>
    /// The whole middleware, for a request in a lane no configuration names, read from the tag header and from
    /// baggage: it costs what a configured lane's request costs (the request's lane state and the execution context
    /// that carries it), nothing per lane name. Its metrics have no listener, as in a service that exports none.
    /// </summary>
    [Theory]
    [InlineData("x-mse-tag", "dev-alice")]
    [InlineData("baggage", "user=42,lane=dev-alice;ttl=3,region=eu")]
    public async Task Invoke_UnconfiguredLane_AllocatesWhatAConfiguredLaneDoes(string header, string value)
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var middleware = new LaneMiddleware(_ => Task.CompletedTask, new LaneSettings(new LanesOptions { Lane = "gray" }),
            new LanesMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        var configured = new DefaultHttpContext();
        configured.Request.Headers[header] = value.Replace("dev-alice", "gray", StringComparison.Ordinal);
        var unconfigured = new DefaultHttpContext();
        unconfigured.Request.Headers[header] = value;

        var configuredBytes = await AllocatedPerRequest(middleware, configured);
        var unconfiguredBytes = await AllocatedPerRequest(middleware, unconfigured);

        middleware.ReadLane(unconfigured.Request.Headers).Should().Be("dev-alice");
        configuredBytes.Should().BeGreaterThan(0, "a lane request has its own lane state");
        unconfiguredBytes.Should().BeLessThanOrEqualTo(configuredBytes);
    }

    /// <summary>
    /// An untrusted caller's traced request whose baggage has no lane costs what its untraced twin does, plus reading
    /// the activity's baggage (which allocates its enumerator).
    /// </summary>
    [Fact]
    public async Task Invoke_UntrustedCallerTracedWithoutLane_AllocatesOnlyTheBaggageRead()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var middleware = new LaneMiddleware(_ => Task.CompletedTask, new LaneSettings(new LanesOptions { TrustedNetworks = ["10.0.0.0/8"] }),
            new LanesMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = System.Net.IPAddress.Loopback;
        Activity.Current = null;
        var untraced = await AllocatedPerRequest(middleware, context);
        using var activity = new Activity("request").AddBaggage("user", "42").AddBaggage("region", "eu").Start();
        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var _ in activity.Baggage)
        {
        }

        var reading = GC.GetAllocatedBytesForCurrentThread() - before;

        var traced = await AllocatedPerRequest(middleware, context);

        activity.Baggage.Select(item => item.Key).Should().BeEquivalentTo(["user", "region"]);
        traced.Should().BeLessThanOrEqualTo(untraced + reading);
    }

    private static async Task<long> AllocatedPerRequest(LaneMiddleware middleware, HttpContext context)
    {
        for (var i = 0; i < 10; i++)
        {
            await middleware.InvokeAsync(context);
        }

        const int Requests = 100;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Requests; i++)
        {
            var pending = middleware.InvokeAsync(context);
            if (!pending.IsCompletedSuccessfully)
            {
                throw new InvalidOperationException("the middleware went asynchronous: another thread's allocations would be missed");
            }
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / Requests;
    }
}
