using System.Net;
using System.Text.Json.Nodes;
using Gateway.Tests.Support;

namespace Gateway.Tests.Functional;

/// <summary>
/// One client must not be able to hold every place the open-file budget has for proxied requests: with the budget
/// global, one address carrying slow HTTP/2 streams (responses that never come) made every route answer 503 to every
/// other client. A real gateway with the budget of an open-file limit of 10 (4 requests in flight), clients on
/// distinct loopback addresses.
/// </summary>
public sealed class ClientFairnessTests
{
    private static readonly IPAddress Attacker = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress Other = IPAddress.Parse("127.0.0.3");

    [Fact]
    public async Task SlowStreams_OneClientFloodsTheRequestBudget_AnotherClientIsStillServed()
    {
        await using var backend = await HangingBackend.StartAsync();
        await using var gateway = await OverloadRejectionsTests.StartAsync(backend);
        using var attacker = Http2Clients.Create(gateway.Address, Attacker);
        using var other = Http2Clients.Create(gateway.Address, Other);

        var flood = Enumerable.Range(0, 20).Select(_ => Http2Clients.StatusAsync(attacker, "/svc/hang")).ToList();
        await Eventually.ValueAsync(() => Task.FromResult(flood.Count(t => t.IsCompleted)), done => done == 20 - backend.Hanging && backend.Hanging > 0);
        var served = await Http2Clients.StatusAsync(other, "/svc/1");
        var refused = flood.Where(t => t.IsCompleted).Select(t => t.Result).ToList();
        attacker.CancelPendingRequests();
        await Task.WhenAll(flood);

        served.Should().Be("200 ok");
        refused.Should().HaveCount(17).And.OnlyContain(status => status.StartsWith("503 {\"error\":\"client_overloaded\"", StringComparison.Ordinal));
    }

    /// <summary>
    /// The same for connections: one address opening connections (idle ones, waiting for the HTTP/2 preface) held every
    /// place the connection budget has, and another client's connection was closed at once.
    /// </summary>
    [Fact]
    public async Task IdleConnections_OneClientFloodsTheConnectionBudget_AnotherClientStillConnects()
    {
        await using var backend = await HangingBackend.StartAsync();
        await using var gateway = await OverloadRejectionsTests.StartAsync(backend);

        var flood = await OverloadRejectionsTests.OpenAsync(gateway.Address, 5, Attacker);
        var floodClosed = await Task.WhenAll(flood.Select(OverloadRejectionsTests.ClosedByPeerAsync));
        var others = await OverloadRejectionsTests.OpenAsync(gateway.Address, 2, Other);
        var othersClosed = await Task.WhenAll(others.Select(OverloadRejectionsTests.ClosedByPeerAsync));
        var rejections = await OverloadRejectionsTests.ScrapeAsync(gateway);
        flood.Concat(others).ToList().ForEach(socket => socket.Dispose());

        floodClosed.Count(closed => closed).Should().Be(2, "the flooding address has three of the four places");
        // Which of the two gets the last place is Kestrel's to choose: it runs each accepted connection on the thread pool.
        othersClosed.Count(closed => closed).Should().Be(1, "the other client has the fourth place; then none is left");
        rejections.Should().Be((1, 0, 0, 2));
    }

    /// <summary>
    /// Behind a trusted proxy each client is the address it forwards, as for the lane rules; a forwarded address from
    /// anyone else is not believed, so a client cannot escape its share by writing X-Forwarded-For.
    /// </summary>
    [Theory]
    [InlineData(true, "200 ok")]
    [InlineData(false, "503 {\"error\":\"client_overloaded\"")]
    public async Task RequestsPerClient_ClientsForwardedByAProxy_EachHasItsShareOnlyWhenTheProxyIsTrusted(bool trusted, string expected)
    {
        await using var backend = await HangingBackend.StartAsync();
        var config = new GatewayConfigBuilder().Route("svc").Destination("svc", "b", backend.Url)
            .Set("Kestrel:EndpointDefaults:Protocols", "Http2").Set("Overload:RequestsPerClient", 1)
            .Set("Lanes:ClientIp:TrustedProxies", trusted ? new JsonArray("127.0.0.1/32") : new JsonArray());
        await using var gateway = await TestGateway.StartAsync(config);
        using var proxy = Http2Clients.Create(gateway.Address);

        var held = Http2Clients.ForwardedAsync(proxy, "/svc/hang", "203.0.113.1");
        await Eventually.ValueAsync(() => Task.FromResult(backend.Hanging), hanging => hanging == 1);
        var sameClient = await Http2Clients.ForwardedAsync(proxy, "/svc/1", "203.0.113.1");
        var otherClient = await Http2Clients.ForwardedAsync(proxy, "/svc/1", "203.0.113.2");
        proxy.CancelPendingRequests();
        await held;

        sameClient.Should().StartWith("503 {\"error\":\"client_overloaded\"");
        otherClient.Should().StartWith(expected);
    }
}
