using System.Net;
using System.Net.Sockets;
using Gateway.Host.Hosting;
using Gateway.Tests.Support;

namespace Gateway.Tests.Functional;

/// <summary>
/// Work the open-file budget sheds is counted in <c>gateway_overload_rejections_total</c>, by kind, exactly: a real
/// gateway whose budget is replaced by one for an open-file limit of 10 (4 connections, 4 requests in flight, 3 of
/// them for one client).
/// </summary>
public sealed class OverloadRejectionsTests
{
    private const long OpenFiles = 10;
    private const int Budget = 4;

    /// <summary>The default share of one client: all but a tenth of the budget, and at least one place for others.</summary>
    private const int ClientCap = 3;

    [Fact]
    public async Task Rejections_PastTheBudgetAndAClientsShare_CountedByKindExactly()
    {
        await using var backend = await HangingBackend.StartAsync();
        await using var gateway = await StartAsync(backend);
        var before = await ScrapeAsync(gateway);
        using var first = Http2Clients.Create(gateway.Address, IPAddress.Parse("127.0.0.2"));
        using var second = Http2Clients.Create(gateway.Address, IPAddress.Parse("127.0.0.3"));

        var held = Enumerable.Range(0, ClientCap).Select(_ => Http2Clients.StatusAsync(first, "/svc/hang")).ToList();
        await Eventually.ValueAsync(() => Task.FromResult(backend.Hanging), hanging => hanging == ClientCap);
        var pastShare = await Task.WhenAll(Http2Clients.StatusAsync(first, "/svc/1"), Http2Clients.StatusAsync(first, "/svc/2"));
        held.Add(Http2Clients.StatusAsync(second, "/svc/hang"));
        await Eventually.ValueAsync(() => Task.FromResult(backend.Hanging), hanging => hanging == Budget);
        var pastBudget = await Task.WhenAll(Http2Clients.StatusAsync(second, "/svc/1"), Http2Clients.StatusAsync(second, "/svc/2"));
        var flood = await OpenAsync(gateway.Address, 5);
        // Counted first, then looked at: a connection is counted before it is closed, and on a busy machine the close
        // could come later than the 2 s a socket is watched for.
        var after = await Eventually.ValueAsync(() => ScrapeAsync(gateway), rejections => rejections.Connection == 3);
        var closed = await Task.WhenAll(flood.Select(ClosedByPeerAsync));
        first.CancelPendingRequests();
        second.CancelPendingRequests();
        flood.ForEach(socket => socket.Dispose());
        await Task.WhenAll(held);

        before.Should().Be((0, 0, 0, 0), "every series exists from the first scrape, at 0");
        pastShare.Should().AllSatisfy(status => status.Should().StartWith("503 {\"error\":\"client_overloaded\""));
        pastBudget.Should().AllSatisfy(status => status.Should().StartWith("503 {\"error\":\"gateway_overloaded\""));
        closed.Count(c => c).Should().Be(3, "two connections are the clients', two more fit, three are closed at once");
        after.Should().Be((3, 2, 2, 0));
        (await ScrapeAsync(gateway)).Should().Be((3, 2, 2, 0), "nothing else was shed");
    }

    /// <summary>The real gateway, with the open-file budget of a process allowed <see cref="OpenFiles"/> descriptors.</summary>
    internal static Task<TestGateway> StartAsync(HangingBackend backend) =>
        TestGateway.StartAsync(
            new GatewayConfigBuilder().Route("svc").Destination("svc", "b", backend.Url).Set("Kestrel:EndpointDefaults:Protocols", "Http2"),
            configure: builder => builder.Services.AddSingleton(services => OpenFileBudget.Create(services, OpenFiles)));

    /// <summary>The rejections of each kind: connection, request, client_request, client_connection.</summary>
    internal static async Task<(double Connection, double Request, double ClientRequest, double ClientConnection)> ScrapeAsync(TestGateway gateway)
    {
        const string Name = "gateway_overload_rejections_total";
        var samples = PrometheusText.Parse(await gateway.Admin.GetStringAsync("/metrics"));
        samples.Where(s => s.Name == Name).Select(s => s.Labels["kind"]).Should().BeEquivalentTo(["connection", "request", "client_request", "client_connection"]);
        return (samples.Sum(Name, ("kind", "connection")), samples.Sum(Name, ("kind", "request")), samples.Sum(Name, ("kind", "client_request")),
            samples.Sum(Name, ("kind", "client_connection")));
    }

    /// <summary>Opens <paramref name="count"/> connections one after another, from <paramref name="source"/> (default 127.0.0.1).</summary>
    internal static async Task<List<Socket>> OpenAsync(Uri address, int count, IPAddress? source = null)
    {
        var sockets = new List<Socket>();
        for (var i = 0; i < count; i++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(source ?? IPAddress.Loopback, 0));
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, address.Port));
            sockets.Add(socket);
        }

        return sockets;
    }

    /// <summary>True when the gateway closes the connection within 2 s without a byte (an accepted one waits for the preface).</summary>
    internal static async Task<bool> ClosedByPeerAsync(Socket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            return await socket.ReceiveAsync(new byte[1], SocketFlags.None, timeout.Token) == 0;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
