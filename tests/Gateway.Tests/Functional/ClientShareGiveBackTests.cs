using System.Net;
using System.Text.Json.Nodes;
using Gateway.Tests.Support;

namespace Gateway.Tests.Functional;

/// <summary>
/// A place in a client's share that is never given back locks that client out until the gateway restarts. Attacks
/// that end requests and connections in unusual ways must leave the share whole: HTTP/2 streams reset as soon as they
/// are sent (rapid reset), and connections counted under one <c>TrustedProxies</c> and closed under another.
/// </summary>
public sealed class ClientShareGiveBackTests
{
    private static readonly IPAddress Client = IPAddress.Parse("127.0.0.2");

    [Fact]
    public async Task RapidReset_ClientResetsManyStreams_ItsWholeShareComesBack()
    {
        await using var backend = await HangingBackend.StartAsync();
        var config = new GatewayConfigBuilder().Route("svc").Destination("svc", "b", backend.Url)
            .Set("Kestrel:EndpointDefaults:Protocols", "Http2").Set("Overload:RequestsPerClient", 2);
        await using var gateway = await TestGateway.StartAsync(config);
        using var client = Http2Clients.Create(gateway.Address, Client);

        for (var round = 0; round < 20; round++)
        {
            using var reset = new CancellationTokenSource();
            var streams = Enumerable.Range(0, 10).Select(_ => SendAsync(client, "/svc/hang", reset.Token)).ToList();
            await Task.Delay(50);
            await reset.CancelAsync();
            await Task.WhenAll(streams);
        }

        // Reset streams the gateway had already forwarded reach the backend a moment later, so count what the backend
        // holds now (received and not yet abandoned), and retry a refused request until the places are given back.
        await Eventually.ValueAsync(() => Task.FromResult(backend.Hanging - backend.Abandoned), holding => holding == 0);
        using var hold = new CancellationTokenSource();
        var held = new[] { HoldAsync(client, hold.Token), HoldAsync(client, hold.Token) };
        await Eventually.ValueAsync(() => Task.FromResult(backend.Hanging - backend.Abandoned), holding => holding == 2);
        var third = await Http2Clients.StatusAsync(client, "/svc/1");
        await hold.CancelAsync();
        await Task.WhenAll(held);

        backend.Hanging.Should().BeGreaterThan(2, "reset streams reached the backend, so they held places");
        third.Should().StartWith("503 {\"error\":\"client_overloaded\"", "both places are held again, by the two hanging requests");
    }

    /// <summary>A hanging request, sent again while the gateway refuses it (a place not given back yet), until cancelled.</summary>
    private static async Task HoldAsync(HttpClient client, CancellationToken cancellation)
    {
        while (!cancellation.IsCancellationRequested && await SendAsync(client, "/svc/hang", cancellation) == "503")
        {
            await Task.Delay(100, CancellationToken.None);
        }
    }

    /// <summary>
    /// Connections opened while their address is an untrusted client are counted in its share; a reload that trusts the
    /// address must not keep them from being given back when they close, nor count the ones it opens meanwhile.
    /// </summary>
    [Fact]
    public async Task ConnectionsPerClient_TrustedProxiesChangeWhileConnectionsAreOpen_ShareComesBackWhole()
    {
        using var directory = new ConfigDirectory(Config(trusted: false).ToJson(), mounted: false);
        await using var gateway = await TestGateway.StartFromFileAsync(directory.File);

        var untrusted = await OverloadRejectionsTests.OpenAsync(gateway.Address, 2, Client);
        await ReloadAsync(gateway, directory, trusted: true, reloads: 1);
        var trusted = await OverloadRejectionsTests.OpenAsync(gateway.Address, 3, Client);
        var trustedClosed = await Task.WhenAll(trusted.Select(OverloadRejectionsTests.ClosedByPeerAsync));
        untrusted.Concat(trusted).ToList().ForEach(socket => socket.Dispose());
        await ReloadAsync(gateway, directory, trusted: false, reloads: 2);
        var again = await Eventually.ValueAsync(() => ClosedAsync(gateway, 3), closed => closed.Count(c => c) < 3);

        trustedClosed.Should().Equal([false, false, false], "a trusted proxy's connections have no share");
        again.Count(closed => closed).Should().Be(1, "the address has its two places again, and no more");
    }

    private static GatewayConfigBuilder Config(bool trusted) =>
        new GatewayConfigBuilder().Route("svc").Destination("svc", "b", "http://127.0.0.1:1/")
            .Set("Kestrel:EndpointDefaults:Protocols", "Http2").Set("Overload:ConnectionsPerClient", 2)
            .Set("Lanes:ClientIp:TrustedProxies", trusted ? new JsonArray("127.0.0.2/32") : new JsonArray());

    private static async Task ReloadAsync(TestGateway gateway, ConfigDirectory directory, bool trusted, int reloads)
    {
        directory.Rewrite(Config(trusted).ToJson());
        await Eventually.ValueAsync(
            async () => PrometheusText.Parse(await gateway.Admin.GetStringAsync("/metrics")).Sum("gateway_config_reloads_total", ("result", "success")),
            applied => applied >= reloads);
    }

    /// <summary>Opens <paramref name="count"/> connections from the client and says which the gateway closed at once.</summary>
    private static async Task<bool[]> ClosedAsync(TestGateway gateway, int count)
    {
        var sockets = await OverloadRejectionsTests.OpenAsync(gateway.Address, count, Client);
        try
        {
            return await Task.WhenAll(sockets.Select(OverloadRejectionsTests.ClosedByPeerAsync));
        }
        finally
        {
            sockets.ForEach(socket => socket.Dispose());
        }
    }

    private static async Task<string> SendAsync(HttpClient client, string path, CancellationToken cancellation)
    {
        try
        {
            using var response = await client.GetAsync(path, cancellation);
            return ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return "reset";
        }
    }
}
