using System.Text.Json.Nodes;
using Gateway.Tests.Support;
using static Gateway.Tests.Support.LaneSpec;

namespace Gateway.Tests.Functional;

/// <summary>
/// The per-client share of the request budget and the lane rules see one client for a request: behind a trusted
/// proxy the address it forwards, found once for both; from anyone else the socket peer, whatever X-Forwarded-For
/// says. A real gateway (one request in flight per client; a client-network lane), its baseline and gray lane on two
/// backends that hold <c>/hang</c> requests, so where a held request went shows which client the rules saw.
/// </summary>
public sealed class ForwardedClientTests
{
    private const string Client = "203.0.113.7";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ShareAndLaneRules_ForwardedFor_SeeTheSameClientOnlyFromATrustedProxy(bool trusted)
    {
        await using var baseline = await HangingBackend.StartAsync();
        await using var gray = await HangingBackend.StartAsync();
        var office = Match("office", "gray", new JsonObject { ["ClientNetworks"] = Strings("203.0.113.0/24") });
        var config = new GatewayConfigBuilder().Route("svc").Destination("svc", "base", baseline.Url).Destination("svc", "gray", gray.Url, lane: "gray")
            .Group("g", ["svc"], office)
            .Set("Kestrel:EndpointDefaults:Protocols", "Http2").Set("Overload:RequestsPerClient", 1)
            .Set("Lanes:ClientIp:TrustedProxies", trusted ? Strings("127.0.0.1/32") : Strings());
        await using var gateway = await TestGateway.StartAsync(config);
        using var proxy = Http2Clients.Create(gateway.Address);

        var held = Http2Clients.ForwardedAsync(proxy, "/svc/hang", Client);
        await Eventually.ValueAsync(() => Task.FromResult(baseline.Hanging + gray.Hanging), hanging => hanging == 1);
        var sameClient = await Http2Clients.ForwardedAsync(proxy, "/svc/1", Client);
        var otherClient = await Http2Clients.ForwardedAsync(proxy, "/svc/1", "203.0.113.8");
        proxy.CancelPendingRequests();
        await held;

        (gray.Hanging, baseline.Hanging).Should().Be(trusted ? (1, 0) : (0, 1), "the rules match the forwarded client only from a trusted proxy");
        sameClient.Should().StartWith("503 {\"error\":\"client_overloaded\"");
        otherClient.Should().StartWith(trusted ? "200 ok" : "503 {\"error\":\"client_overloaded\"", "a forged forwarded address is not another client");
    }
}
