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
    private HeaderEcho _behind = null!;
    private LaneService _front = null!;

    public async Task InitializeAsync()
    {
        _behind = await HeaderEcho.StartAsync("base");
        _front = await LaneService.StartAsync(
            new()
            {
                ["Lanes:TrustedNetworks:0"] = "10.0.0.0/8",
                ["Services:behind:http:0"] = _behind.Url,
            },
            endpoints: app => app.MapGet("/forward", async (IHttpClientFactory clients, HttpContext context) =>
            {
                using var call = new HttpRequestMessage(HttpMethod.Get, "http://behind/");
                foreach (var name in (string[])["x-mse-tag", "baggage"])
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
        var (_, body) = await _front.GetAsync("/forward", ("x-mse-tag", "gray"), ("baggage", "user=42,LANE=gray, l%61ne=gray"));

        body.Should().StartWith("base ", "the front service ignored the caller's lane");
        HeaderEcho.Reply.Parse(body["base ".Length..]).Should().Be(new HeaderEcho.Reply("base", "", "user=42"), "neither may the call carry it on");
    }

    [Fact]
    public async Task Call_CopyingOnlyTheBaggage_CarriesNoLaneOn()
    {
        var (_, body) = await _front.GetAsync("/forward", ("baggage", "lane=gray"));

        HeaderEcho.Reply.Parse(body["base ".Length..]).Should().Be(new HeaderEcho.Reply("base", "", ""));
    }

    public async Task DisposeAsync()
    {
        await _front.DisposeAsync();
        await _behind.DisposeAsync();
    }
}
