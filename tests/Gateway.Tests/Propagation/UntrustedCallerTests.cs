using Gateway.Tests.Support;
using Lanes.Propagation;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Propagation;

/// <summary>
/// A service that restricts who may choose its lane (<c>Lanes:TrustedNetworks</c>), reached directly by a caller outside
/// them: the caller's lane must not reach the services behind it by any path, including the service's own code
/// copying the caller's headers on to its calls (hand-written, or ASP.NET Core's header propagation).
/// </summary>
public sealed class UntrustedCallerTests : IAsyncLifetime
{
    /// <summary>Headers in the baggage formats older than W3C's, which a service's propagator may read instead.</summary>
    private static readonly string[] OlderFormats = ["Correlation-Context", "correlation_context", "jaeger-baggage", "uberctx-lane", "UberCtx-LANE", "ot-baggage-lane", "uberctx-user", "x_mse_tag"];

    private HeaderEcho _behind = null!;
    private HeaderEchoBackend _lines = null!;
    private LaneService _front = null!;

    public async Task InitializeAsync()
    {
        _behind = await HeaderEcho.StartAsync("base");
        _lines = await HeaderEchoBackend.StartAsync();
        _front = await LaneService.StartAsync(
            new()
            {
                ["Lanes:TrustedNetworks:0"] = "10.0.0.0/8",
                ["Services:behind:http:0"] = _behind.Url,
                ["Services:lines:http:0"] = _lines.Url,
            },
            endpoints: app => app.MapGet("/forward/{service}", async (string service, IHttpClientFactory clients, HttpContext context) =>
            {
                using var call = new HttpRequestMessage(HttpMethod.Get, "http://" + service + "/");
                foreach (var name in (string[])["x-mse-tag", "baggage", .. OlderFormats])
                {
                    if (context.Request.Headers.TryGetValue(name, out var values))
                    {
                        call.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
                    }
                }

                using var response = await clients.CreateClient().SendAsync(call);
                return (LaneContext.Current ?? "base") + " " + await response.Content.ReadAsStringAsync();
            }));
    }

    [Fact]
    public async Task Call_CopyingAnUntrustedCallersLaneHeaders_CarriesNoLaneOn()
    {
        var (_, body) = await _front.GetAsync("/forward/behind", ("x-mse-tag", "gray"), ("baggage", "user=42,LANE=gray, l%61ne=gray"));

        body.Should().StartWith("base ", "the front service ignored the caller's lane");
        HeaderEcho.Reply.Parse(body["base ".Length..]).Should().Be(new HeaderEcho.Reply("base", "", "user=42"), "neither may the call carry it on");
    }

    [Fact]
    public async Task Call_CopyingOnlyTheBaggage_CarriesNoLaneOn()
    {
        var (_, body) = await _front.GetAsync("/forward/behind", ("baggage", "lane=gray"));

        HeaderEcho.Reply.Parse(body["base ".Length..]).Should().Be(new HeaderEcho.Reply("base", "", ""));
    }

    /// <summary>
    /// .NET's propagator (.NET 10's included) reads <c>Correlation-Context</c> when there is no <c>baggage</c>, Jaeger's
    /// and OpenTracing's read their own headers, and CGI-style servers read <c>x_mse_tag</c> as the tag header: a lane
    /// copied in one of them is removed as the gateway removes it.
    /// </summary>
    [Theory]
    [InlineData("Correlation-Context", "lane=gray,user=42", "Correlation-Context: user=42")]
    [InlineData("Correlation-Context", "user=42, L%61NE = gray;p=1", "Correlation-Context: user=42")]
    [InlineData("correlation_context", "lane=gray", null)]
    [InlineData("jaeger-baggage", "lane=gray, user=42", "jaeger-baggage: user=42")]
    [InlineData("uberctx-lane", "gray", null)]
    [InlineData("UberCtx-LANE", "gray", null)]
    [InlineData("ot-baggage-lane", "gray", null)]
    [InlineData("uberctx-user", "42", "uberctx-user: 42")]
    [InlineData("x_mse_tag", "gray", null)]
    public async Task Call_CopyingALaneInAnOlderBaggageFormat_CarriesNoLaneOn(string name, string value, string? carried)
    {
        var (_, body) = await _front.GetAsync("/forward/lines", (name, value));

        var received = body["base ".Length..].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        received.Should().NotContain(line => line.Contains("gray", StringComparison.OrdinalIgnoreCase));
        if (carried is null)
        {
            received.Should().NotContain(line => line.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase));
        }
        else
        {
            received.Should().ContainSingle(line => line.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase)).Which.Should().BeEquivalentTo(carried);
        }
    }

    /// <summary>
    /// ASP.NET Core's header propagation adds the caller's headers inside the client's handlers, after any handler
    /// placed first has run: the lane is stamped after it.
    /// </summary>
    [Fact]
    public async Task Call_WithAspNetCoreHeaderPropagation_CarriesNoUntrustedLaneOn()
    {
        await using var front = await LaneService.StartAsync(
            new()
            {
                ["Lanes:TrustedNetworks:0"] = "10.0.0.0/8",
                ["Services:lines:http:0"] = _lines.Url,
            },
            endpoints: app => app.UseHeaderPropagation(),
            services: services =>
            {
                services.AddHeaderPropagation(options =>
                {
                    foreach (var name in (string[])["x-mse-tag", "baggage", "Correlation-Context", "uberctx-lane"])
                    {
                        options.Headers.Add(name);
                    }
                });
                services.ConfigureHttpClientDefaults(http => http.AddHeaderPropagation());
            });

        var (_, body) = await front.GetAsync("/call/lines", ("x-mse-tag", "gray"), ("baggage", "lane=gray,user=42"), ("Correlation-Context", "lane=gray"), ("uberctx-lane", "gray"));

        var received = body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        received.Should().NotContain(line => line.Contains("gray", StringComparison.Ordinal));
        received.Should().Contain("baggage: user=42");
    }

    /// <summary>In a lane request too, a copied lane entry in an older format (another lane's) does not travel beside the lane.</summary>
    [Fact]
    public async Task Call_LaneRequestCopyingAnotherLaneInAnOlderFormat_CarriesOnlyItsLane()
    {
        await using var trusting = await LaneService.StartAsync(
            new() { ["Services:lines:http:0"] = _lines.Url },
            endpoints: app => app.MapGet("/forward", async (IHttpClientFactory clients, HttpContext context) =>
            {
                using var call = new HttpRequestMessage(HttpMethod.Get, "http://lines/");
                call.Headers.TryAddWithoutValidation("Correlation-Context", (IEnumerable<string?>)context.Request.Headers["Correlation-Context"]);
                call.Headers.TryAddWithoutValidation("uberctx-lane", (IEnumerable<string?>)context.Request.Headers["uberctx-lane"]);
                using var response = await clients.CreateClient().SendAsync(call);
                return await response.Content.ReadAsStringAsync();
            }));

        var (_, body) = await trusting.GetAsync("/forward", ("x-mse-tag", "gray"), ("Correlation-Context", "lane=blue,user=42"), ("uberctx-lane", "blue"));

        var received = body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        received.Should().NotContain(line => line.Contains("blue", StringComparison.Ordinal));
        received.Should().Contain("x-mse-tag: gray").And.Contain("baggage: lane=gray").And.Contain("Correlation-Context: user=42");
    }

    public async Task DisposeAsync()
    {
        await _front.DisposeAsync();
        await _lines.DisposeAsync();
        await _behind.DisposeAsync();
    }
}
