using System.Net;
using System.Net.Sockets;
using Gateway.Host.Hosting;
using Gateway.Tests.Support;

namespace Gateway.Tests.Functional;

/// <summary>
/// Work the open-file budget sheds is counted in <c>gateway_overload_rejections_total</c>, by kind, exactly: a real
/// gateway whose budget is replaced by one for an open-file limit of 10 (4 connections, 4 requests in flight).
/// </summary>
public sealed class OverloadRejectionsTests
{
    private const long OpenFiles = 10;
    private const int Budget = 4;

    [Fact]
    public async Task Rejections_RequestsAndConnectionsPastTheBudget_CountedByKindExactly()
    {
        await using var backend = await HangingBackend.StartAsync();
        await using var gateway = await StartAsync(backend);
        var before = await ScrapeAsync(gateway);
        using var client = Http2Client(gateway.Address);

        var held = Enumerable.Range(0, Budget).Select(_ => StatusAsync(client, "/svc/hang")).ToList();
        await Eventually.ValueAsync(() => Task.FromResult(backend.Hanging), hanging => hanging == Budget);
        var shed = await Task.WhenAll(StatusAsync(client, "/svc/1"), StatusAsync(client, "/svc/2"));
        var flood = await OpenAsync(gateway.Address, 6);
        var closed = await Task.WhenAll(flood.Select(ClosedByPeerAsync));
        var after = await Eventually.ValueAsync(() => ScrapeAsync(gateway), rejections => rejections.Connection == 3);
        client.CancelPendingRequests();
        flood.ForEach(socket => socket.Dispose());
        await Task.WhenAll(held);

        before.Should().Be((0, 0), "both series exist from the first scrape, at 0");
        shed.Should().AllSatisfy(status => status.Should().StartWith("503 {\"error\":\"gateway_overloaded\""));
        closed.Count(c => c).Should().Be(3, "one connection is the HTTP/2 client's, three more fit, three are closed at once");
        after.Should().Be((3, 2));
        (await ScrapeAsync(gateway)).Should().Be((3, 2), "nothing else was shed");
    }

    /// <summary>The real gateway, with the open-file budget of a process allowed <see cref="OpenFiles"/> descriptors.</summary>
    internal static Task<TestGateway> StartAsync(HangingBackend backend) =>
        TestGateway.StartAsync(
            new GatewayConfigBuilder().Route("svc").Destination("svc", "b", backend.Url).Set("Kestrel:EndpointDefaults:Protocols", "Http2"),
            configure: builder => builder.Services.AddSingleton(services => new OpenFileBudget(
                OpenFiles, services.GetRequiredService<GatewayListeners>(), services.GetRequiredService<ILogger<OpenFileBudget>>(), TimeProvider.System)));

    internal static HttpClient Http2Client(Uri address) => new()
    {
        BaseAddress = address,
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Timeout = Timeout.InfiniteTimeSpan,
    };

    internal static async Task<string> StatusAsync(HttpClient client, string path)
    {
        try
        {
            using var response = await client.GetAsync(path);
            return (int)response.StatusCode + " " + await response.Content.ReadAsStringAsync();
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return "failed: " + ex.Message;
        }
    }

    private static async Task<(double Connection, double Request)> ScrapeAsync(TestGateway gateway)
    {
        var samples = PrometheusText.Parse(await gateway.Admin.GetStringAsync("/metrics"));
        samples.Should().Contain(s => s.Name == "gateway_overload_rejections_total");
        return (samples.Sum("gateway_overload_rejections_total", ("kind", "connection")), samples.Sum("gateway_overload_rejections_total", ("kind", "request")));
    }

    private static async Task<List<Socket>> OpenAsync(Uri address, int count)
    {
        var sockets = new List<Socket>();
        for (var i = 0; i < count; i++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, address.Port));
            sockets.Add(socket);
        }

        return sockets;
    }

    /// <summary>True when the gateway closes the connection within 2 s without a byte (an accepted one waits for the preface).</summary>
    private static async Task<bool> ClosedByPeerAsync(Socket socket)
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
