using System.Net.Sockets;
using Gateway.Tests.Support;

namespace Gateway.Tests.Functional;

/// <summary>
/// The warnings for a client at its share name the client as users write it in rules, X-Forwarded-For and the README:
/// an IPv4 client of a dual-stack listener arrives as <c>::ffff:a.b.c.d</c> and was logged so. A real gateway listening
/// on any address (dual-stack where the host has IPv6), reached over IPv4 loopback.
/// </summary>
public sealed class ClientShareLogTests
{
    private const string AnyAddress = "http://*:0";

    [Fact]
    public async Task RequestsPerClient_IPv4ClientOfADualStackListener_WarningNamesTheIPv4Address()
    {
        await using var backend = await HangingBackend.StartAsync();
        var config = new GatewayConfigBuilder().Route("svc").Destination("svc", "b", backend.Url)
            .Set("Kestrel:EndpointDefaults:Protocols", "Http2").Set("Overload:RequestsPerClient", 1);
        using var logs = new CapturingLoggerProvider();
        await using var gateway = await TestGateway.StartAsync(config, configure: builder => builder.Logging.AddProvider(logs), urls: AnyAddress);
        using var client = Http2Clients.Create(gateway.Address);

        var held = Http2Clients.StatusAsync(client, "/svc/hang");
        await Eventually.ValueAsync(() => Task.FromResult(backend.Hanging), hanging => hanging == 1);
        var refused = await Http2Clients.StatusAsync(client, "/svc/1");
        var warning = await WarningAsync(logs, 3032);
        client.CancelPendingRequests();
        await held;

        refused.Should().StartWith("503 {\"error\":\"client_overloaded\"");
        warning.Should().Be("127.0.0.1");
    }

    [Fact]
    public async Task ConnectionsPerClient_IPv4ClientOfADualStackListener_WarningNamesTheIPv4Address()
    {
        var config = new GatewayConfigBuilder().Route("svc").Destination("svc", "b", "http://127.0.0.1:1/")
            .Set("Kestrel:EndpointDefaults:Protocols", "Http2").Set("Overload:ConnectionsPerClient", 1);
        using var logs = new CapturingLoggerProvider();
        await using var gateway = await TestGateway.StartAsync(config, configure: builder => builder.Logging.AddProvider(logs), urls: AnyAddress);

        var sockets = await OverloadRejectionsTests.OpenAsync(gateway.Address, 3);
        var warning = await WarningAsync(logs, 3033);
        sockets.ForEach(socket => socket.Dispose());

        warning.Should().Be("127.0.0.1");
    }

    /// <summary>The client address the warning with <paramref name="eventId"/> names, as the log line writes it.</summary>
    private static async Task<string?> WarningAsync(CapturingLoggerProvider logs, int eventId)
    {
        var entry = await Eventually.ValueAsync(() => Task.FromResult(logs.Entries.FirstOrDefault(e => e.EventId.Id == eventId)), e => e is not null);
        Socket.OSSupportsIPv6.Should().BeTrue("the listener is dual-stack only where the host has IPv6");
        entry!.Message.Should().Contain("Client " + entry.State.Single(p => p.Key == "ClientAddress").Value + " holds");
        return entry.State.Single(p => p.Key == "ClientAddress").Value?.ToString();
    }
}
