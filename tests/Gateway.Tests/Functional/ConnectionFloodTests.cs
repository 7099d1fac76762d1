using System.Net;
using System.Net.Sockets;
using Gateway.Tests.Support;

namespace Gateway.Tests.Functional;

/// <summary>
/// A flood of idle connections on the public port, more than the process may open files. Every connection is a file
/// descriptor: once Kestrel had accepted as many as the open-file limit allowed, the admin listener could accept no
/// probe and the runtime died ("Out of memory", as it maps executable memory through descriptors too), dropping every
/// request in flight. Run as a separate process under a small limit (util-linux's prlimit) so the flood stays small.
/// </summary>
public sealed class ConnectionFloodTests
{
    private const int OpenFiles = 1_500;
    private const int Flood = 2_000;

    [Fact]
    public async Task IdleConnectionFlood_PastTheOpenFileLimit_AdminAnswersAndThePublicListenerRecovers()
    {
        await using var backends = await BackendSet.StartAsync("svc", "base");
        using var directory = new TempDirectory();
        var file = directory.Write("gateway.json", backends.AddTo(new GatewayConfigBuilder()));
        await using var gateway = await GatewayProcess.StartWithOpenFileLimitAsync(OpenFiles, "--config", file);
        using var admin = new HttpClient { BaseAddress = gateway.AdminAddress, Timeout = TimeSpan.FromSeconds(5) };
        using var client = new HttpClient { BaseAddress = gateway.Address, Timeout = TimeSpan.FromSeconds(10) };

        var flood = await OpenAsync(new IPEndPoint(IPAddress.Loopback, gateway.Address.Port), Flood);
        HttpStatusCode duringFlood;
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            duringFlood = (await admin.GetAsync("/healthz/live")).StatusCode;
        }
        finally
        {
            flood.ForEach(socket => socket.Dispose());
        }

        var afterFlood = await Eventually.ValueAsync(() => client.GetAsync("/svc/1"), response => response.StatusCode == HttpStatusCode.OK);

        duringFlood.Should().Be(HttpStatusCode.OK);
        afterFlood.StatusCode.Should().Be(HttpStatusCode.OK);
        gateway.Process.HasExited.Should().BeFalse(gateway.Output);
        gateway.Output.Should().Contain("OpenFileBudget").And.Contain("closed");
    }

    /// <summary>
    /// HTTP/2 clients well within the connection cap, each carrying 100 slow requests: every request in flight held a
    /// backend connection, and twenty clients used every descriptor the process had.
    /// </summary>
    [Fact]
    public async Task Http2StreamFlood_PastTheOpenFileLimit_OverflowAnswered503AdminAnswersProcessLives()
    {
        await using var slow = await SlowBackend.StartAsync(TimeSpan.FromSeconds(4));
        using var directory = new TempDirectory();
        var config = new GatewayConfigBuilder().Route("svc").Destination("svc", "b", slow.Url).Set("Kestrel:EndpointDefaults:Protocols", "Http2");
        var file = directory.Write("gateway.json", config);
        await using var gateway = await GatewayProcess.StartWithOpenFileLimitAsync(OpenFiles, "--config", file);
        using var admin = new HttpClient { BaseAddress = gateway.AdminAddress, Timeout = TimeSpan.FromSeconds(5) };
        var clients = Enumerable.Range(0, 20).Select(_ => new HttpClient { BaseAddress = gateway.Address, Timeout = TimeSpan.FromSeconds(30) }).ToList();

        var flood = Task.WhenAll(clients.SelectMany(client => Enumerable.Range(0, 100).Select(_ => StatusAsync(client, "/svc/1"))));
        await Task.Delay(TimeSpan.FromSeconds(2));
        var duringFlood = (await admin.GetAsync("/healthz/live")).StatusCode;
        var statuses = await flood;
        clients.ForEach(client => client.Dispose());

        duringFlood.Should().Be(HttpStatusCode.OK);
        statuses.Should().OnlyContain(status => status == "200 done" || status.StartsWith("503 {\"error\":\"gateway_overloaded\"", StringComparison.Ordinal)
            || status.StartsWith("503 {\"error\":\"client_overloaded\"", StringComparison.Ordinal), "all twenty clients are one address, held to its share");
        statuses.Count(status => status == "200 done").Should().BeGreaterThan(400);
        gateway.Process.HasExited.Should().BeFalse(gateway.Output);
        gateway.Output.Should().Contain("OpenFileBudget").And.Contain("503");
    }

    private static async Task<string> StatusAsync(HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path) { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        try
        {
            using var response = await client.SendAsync(request);
            return (int)response.StatusCode + " " + await response.Content.ReadAsStringAsync();
        }
        catch (HttpRequestException ex)
        {
            return "failed: " + ex.Message;
        }
    }

    /// <summary>Opens up to <paramref name="count"/> connections; those the listener's backlog cannot take in time are left out.</summary>
    private static async Task<List<Socket>> OpenAsync(IPEndPoint endpoint, int count)
    {
        var sockets = await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            try
            {
                await socket.ConnectAsync(endpoint, timeout.Token);
                return socket;
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                socket.Dispose();
                return null;
            }
        }));
        return [.. sockets.OfType<Socket>()];
    }
}
