using System.Diagnostics;
using Gateway.Tests.Support;
using Lanes.Propagation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Propagation;

/// <summary>
/// With tracing on (here an <see cref="ActivityListener"/>, as any tracing or logging setup adds), the request's
/// activity holds the lane as baggage, and .NET's own propagation writes an activity's baggage on every call that has
/// no <c>baggage</c> header of its own. A call that is to carry no lane must carry none that way either.
/// </summary>
[Collection(ProcessWideTracing.Name)]
public sealed class TracedCallTests : IAsyncLifetime
{
    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = _ => true,
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
    };

    private HeaderEchoBackend _backend = null!;

    public async Task InitializeAsync()
    {
        ActivitySource.AddActivityListener(_listener);
        _backend = await HeaderEchoBackend.StartAsync();
    }

    [Fact]
    public async Task Call_ServicesOnlyToAnotherHost_CarriesNoLaneInTheActivitysBaggage()
    {
        var thirdParty = new Uri(_backend.Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal));
        await using var service = await LaneService.StartAsync(new() { ["Lanes:PropagateTo"] = "Services", ["Services:payments:http:0"] = _backend.Url },
            endpoints: app => app.MapGet("/third-party", (IHttpClientFactory clients) => RelayAsync(clients, thirdParty)));

        var (_, body) = await service.GetAsync("/third-party", ("x-mse-tag", "gray"), ("baggage", "user=42"));

        Lines(body).Should().NotContain(line => line.Contains("gray", StringComparison.Ordinal))
            .And.Contain(line => line.StartsWith("baggage:", StringComparison.Ordinal) && line.Replace(" ", "", StringComparison.Ordinal).Contains("user=42", StringComparison.Ordinal),
                "the caller's other entries travel on");
    }

    /// <summary>README: work started inside <c>LaneContext.Enter(null)</c> is baseline work; its calls carry no lane.</summary>
    [Fact]
    public async Task Call_InsideEnterNull_CarriesNoLaneInTheActivitysBaggage()
    {
        await using var service = await LaneService.StartAsync(new() { ["Services:payments:http:0"] = _backend.Url },
            endpoints: app => app.MapGet("/baseline-work", async (IHttpClientFactory clients) =>
            {
                using (LaneContext.Enter(null))
                {
                    return await RelayAsync(clients, new Uri("http://payments/"));
                }
            }));

        var (_, body) = await service.GetAsync("/baseline-work", ("x-mse-tag", "gray"));

        Lines(body).Should().NotContain(line => line.Contains("gray", StringComparison.Ordinal));
    }

    /// <summary>
    /// A service that keeps .NET's pre-W3C propagator (as before .NET 10) has the activity's baggage, the request's
    /// lane in it, written as <c>Correlation-Context</c>: a call without a lane carries none there either, and a call
    /// entered in another lane carries only that one.
    /// </summary>
    [Theory]
    [InlineData(null)]
    [InlineData("blue")]
    public async Task Call_InAnotherLaneWithThePreW3CPropagator_CarriesOnlyTheCallsLane(string? callLane)
    {
        var propagator = DistributedContextPropagator.Current;
        DistributedContextPropagator.Current = DistributedContextPropagator.CreatePreW3CPropagator();
        try
        {
            await using var service = await LaneService.StartAsync(new() { ["Services:payments:http:0"] = _backend.Url },
                endpoints: app => app.MapGet("/other-lane", async (IHttpClientFactory clients) =>
                {
                    using (LaneContext.Enter(callLane))
                    {
                        return await RelayAsync(clients, new Uri("http://payments/"));
                    }
                }));

            var (_, body) = await service.GetAsync("/other-lane", ("x-mse-tag", "gray"), ("baggage", "user=42"));

            var correlation = Lines(body).Should().NotContain(line => line.Contains("gray", StringComparison.Ordinal))
                .And.ContainSingle(line => line.StartsWith("Correlation-Context:", StringComparison.OrdinalIgnoreCase)).Which.Replace(" ", "", StringComparison.Ordinal);
            correlation.Should().Contain("user=42", "the caller's other entries travel on");
            if (callLane is not null)
            {
                correlation.Should().Contain("lane=" + callLane);
            }
        }
        finally
        {
            DistributedContextPropagator.Current = propagator;
        }
    }

    /// <summary>
    /// HttpClient follows a redirect below the package's handlers, and .NET writes the activity's baggage again on
    /// the redirected request, replacing what the call had: the redirect must carry the call's lane (here none, as for
    /// baseline work), not the request's.
    /// </summary>
    [Fact]
    public async Task Call_InsideEnterNullRedirected_CarriesNoLane()
    {
        await using var redirecting = await RedirectingInstance.StartAsync(_backend.Url);
        await using var service = await LaneService.StartAsync(new() { ["Services:shop:http:0"] = redirecting.Url },
            endpoints: app => app.MapGet("/baseline-work", async (IHttpClientFactory clients) =>
            {
                using (LaneContext.Enter(null))
                {
                    return await RelayAsync(clients, new Uri("http://shop/"));
                }
            }));

        var (_, body) = await service.GetAsync("/baseline-work", ("x-mse-tag", "gray"), ("baggage", "user=42"));

        Lines(body).Should().NotContain(line => line.Contains("gray", StringComparison.Ordinal))
            .And.Contain(line => line.StartsWith("baggage:", StringComparison.Ordinal) && line.Replace(" ", "", StringComparison.Ordinal).Contains("user=42", StringComparison.Ordinal),
                "the caller's other entries travel on");
    }

    /// <summary>A redirect of a call in another lane than the request's carries the call's lane, in the tag and the baggage.</summary>
    [Fact]
    public async Task Call_InAnotherLaneRedirected_CarriesTheCallsLane()
    {
        await using var redirecting = await RedirectingInstance.StartAsync(_backend.Url);
        await using var service = await LaneService.StartAsync(new() { ["Services:shop:http:0"] = redirecting.Url },
            endpoints: app => app.MapGet("/blue-work", async (IHttpClientFactory clients) =>
            {
                using (LaneContext.Enter("blue"))
                {
                    return await RelayAsync(clients, new Uri("http://shop/"));
                }
            }));

        var (_, body) = await service.GetAsync("/blue-work", ("x-mse-tag", "gray"));

        Lines(body).Should().NotContain(line => line.Contains("gray", StringComparison.Ordinal))
            .And.Contain("x-mse-tag: blue")
            .And.Contain(line => line.StartsWith("baggage:", StringComparison.Ordinal) && line.Replace(" ", "", StringComparison.Ordinal).Contains("lane=blue", StringComparison.Ordinal));
    }

    /// <summary>
    /// A service that turned .NET's propagation off (<c>CreateNoOutputPropagator</c>) sends no baggage on a call
    /// without a lane: the caller's entries are not written for it either.
    /// </summary>
    [Fact]
    public async Task Call_WithoutALaneAndPropagationOff_CarriesNoBaggage()
    {
        var propagator = DistributedContextPropagator.Current;
        DistributedContextPropagator.Current = DistributedContextPropagator.CreateNoOutputPropagator();
        try
        {
            var thirdParty = new Uri(_backend.Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal));
            await using var service = await LaneService.StartAsync(new() { ["Lanes:PropagateTo"] = "Services", ["Services:payments:http:0"] = _backend.Url },
                endpoints: app => app.MapGet("/third-party", (IHttpClientFactory clients) => RelayAsync(clients, thirdParty)));

            var (_, body) = await service.GetAsync("/third-party", ("x-mse-tag", "gray"), ("baggage", "user=42"));

            Lines(body).Should().NotContain(line => line.StartsWith("baggage", StringComparison.OrdinalIgnoreCase)
                || line.StartsWith("Correlation-Context", StringComparison.OrdinalIgnoreCase));
        }
        finally
        {
            DistributedContextPropagator.Current = propagator;
        }
    }

    /// <summary>
    /// An untrusted caller's lane entry sits on the activity ASP.NET Core made for the request; a middleware of the
    /// service's own in front of <c>UseLanes</c> starting an activity leaves it on that one's parent.
    /// </summary>
    [Fact]
    public async Task Call_UntrustedCallerBehindAnActivityOfTheService_CarriesNoLane()
    {
        using var source = new ActivitySource("Gateway.Tests.ServiceMiddleware");
        await using var service = await LaneService.StartAsync(
            new() { ["Services:behind:http:0"] = _backend.Url, ["Lanes:TrustedNetworks:0"] = "10.0.0.0/8" },
            before: app => app.Use(async (context, next) =>
            {
                using var activity = source.StartActivity("service middleware");
                await next(context);
            }));

        var (_, body) = await service.GetAsync("/call/behind", ("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
            ("baggage", "lane=gray,user=42"));

        Lines(body).Should().NotContain(line => line.Contains("gray", StringComparison.Ordinal))
            .And.Contain(line => line.StartsWith("baggage:", StringComparison.Ordinal) && line.Replace(" ", "", StringComparison.Ordinal).Contains("user=42", StringComparison.Ordinal));
    }

    public async Task DisposeAsync()
    {
        await _backend.DisposeAsync();
        _listener.Dispose();
    }

    private static async Task<string> RelayAsync(IHttpClientFactory clients, Uri uri)
    {
        using var response = await clients.CreateClient().GetAsync(uri);
        return await response.Content.ReadAsStringAsync();
    }

    private static string[] Lines(string body) => body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
