using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Gateway.Tests.Support;

namespace Gateway.Tests.Functional;

public sealed class GracefulShutdownTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task Sigterm_WithHundredSlowRequestsInFlight_AllCompleteNewConnectionsRefusedExitZero()
    {
        await using var slow = await SlowBackend.StartAsync(TimeSpan.FromSeconds(6));
        var file = _directory.Write("gateway.json", new GatewayConfigBuilder().Route("slow").Destination("slow", "slow-1", slow.Url)
            .Set("Lifecycle:DrainDelaySeconds", 1.5).Set("Lifecycle:ShutdownTimeoutSeconds", 15).ToJson());
        await using var gateway = await GatewayProcess.StartAsync("--config", file);
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 200 }) { BaseAddress = gateway.Address, Timeout = TimeSpan.FromSeconds(30) };
        using var admin = new HttpClient { BaseAddress = gateway.AdminAddress };
        var requests = Enumerable.Range(0, 100).Select(i => client.GetAsync("/slow/" + i)).ToList();
        while (slow.Received < 100)
        {
            await Task.Delay(20);
        }

        var clock = Stopwatch.StartNew();
        gateway.Terminate();
        (await WaitForReadinessAsync(admin)).Should().Be(HttpStatusCode.ServiceUnavailable, "readiness fails first");
        var refusedAt = await WaitForRefusedConnectionAsync(gateway.Address, clock);
        var inFlightWhenRefused = requests.Count(r => !r.IsCompleted);
        var responses = await Task.WhenAll(requests);
        var exitCode = await gateway.WaitForExitAsync(TimeSpan.FromSeconds(30));

        refusedAt.Should().BeGreaterThan(TimeSpan.FromSeconds(1.4), "the listener stays open during the 1.5 s drain delay");
        inFlightWhenRefused.Should().Be(100, "then it stops accepting while the slow requests are still running");
        responses.Should().HaveCount(100).And.OnlyContain(r => r.StatusCode == HttpStatusCode.OK);
        (await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()))).Should().OnlyContain(body => body == "done");
        exitCode.Should().Be(0);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(15), "well inside drain delay + shutdown timeout (16.5 s)");
    }

    [Fact]
    public async Task Sigterm_KeepAliveClientsSendingThroughTheDrain_NoRequestLost()
    {
        await using var backend = await SlowBackend.StartAsync(TimeSpan.Zero);
        // Every client must send once during the drain delay to be told to reconnect: 50 ms apart when the machine is
        // idle, but a busy test run can hold a client's loop back for a second or more.
        var file = _directory.Write("gateway.json", new GatewayConfigBuilder().Route("slow").Destination("slow", "slow-1", backend.Url)
            .Set("Lifecycle:DrainDelaySeconds", 4).Set("Lifecycle:ShutdownTimeoutSeconds", 5).ToJson());
        await using var gateway = await GatewayProcess.StartAsync("--config", file);
        var clients = Enumerable.Range(0, 20).Select(_ => new KeepAliveClient(gateway.Address.Port)).ToList();
        // Each client keeps its connection until the gateway closes it; a load balancer then sends it to another
        // replica (the readiness probe has taken this one out), which here means it stops.
        var loops = clients.Select(client => Task.Run(async () =>
        {
            while (await client.SendAsync("/slow/1") && client.Closed + client.Lost == 0)
            {
                await Task.Delay(50);
            }
        })).ToList();
        while (clients.Sum(c => c.Answered) < 100)
        {
            await Task.Delay(20);
        }

        using var admin = new HttpClient { BaseAddress = gateway.AdminAddress };
        using var duringDrain = new KeepAliveClient(gateway.Address.Port);
        gateway.Terminate();
        (await WaitForReadinessAsync(admin)).Should().Be(HttpStatusCode.ServiceUnavailable);
        await duringDrain.SendAsync("/slow/1");
        await Task.WhenAll(loops).WaitAsync(TimeSpan.FromSeconds(30));
        var exitCode = await gateway.WaitForExitAsync(TimeSpan.FromSeconds(30));

        (duringDrain.Answered, duringDrain.Closed).Should().Be((1, 1), "an answer during the drain tells a keep-alive client to reconnect, where its load balancer sends it elsewhere");
        clients.Sum(c => c.Lost).Should().Be(0, "a connection kept alive into the listener's close loses the request sent on it");
        exitCode.Should().Be(0);
        clients.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task Sigterm_WebSocketOpenedDuringTheDrain_IsUpgraded()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var backend = builder.Build();
        backend.UseWebSockets();
        backend.Run(async context =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[64];
            var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
            await socket.SendAsync(buffer.AsMemory(0, received.Count), WebSocketMessageType.Text, true, CancellationToken.None);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        });
        await backend.StartAsync();
        var file = _directory.Write("gateway.json", new GatewayConfigBuilder().Route("ws").Destination("ws", "ws-1", backend.Urls.First() + "/")
            .Set("Lifecycle:DrainDelaySeconds", 3).Set("Lifecycle:ShutdownTimeoutSeconds", 5).ToJson());
        await using var gateway = await GatewayProcess.StartAsync("--config", file);
        using var admin = new HttpClient { BaseAddress = gateway.AdminAddress };
        gateway.Terminate();
        (await WaitForReadinessAsync(admin)).Should().Be(HttpStatusCode.ServiceUnavailable);

        using var client = new ClientWebSocket();
        await client.ConnectAsync(new Uri("ws://127.0.0.1:" + gateway.Address.Port + "/ws/echo"), CancellationToken.None);
        await client.SendAsync("hello"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        var reply = new byte[64];
        var received = await client.ReceiveAsync(reply, CancellationToken.None);

        Encoding.UTF8.GetString(reply, 0, received.Count).Should().Be("hello", "the drain keeps serving, WebSockets too");
    }

    [Fact]
    public async Task Sighup_AsForAReload_InFlightAndLaterRequestsServed()
    {
        await using var slow = await SlowBackend.StartAsync(TimeSpan.FromSeconds(1));
        var file = _directory.Write("gateway.json", new GatewayConfigBuilder().Route("slow").Destination("slow", "slow-1", slow.Url).ToJson());
        await using var gateway = await GatewayProcess.StartAsync("--config", file);
        using var client = new HttpClient { BaseAddress = gateway.Address };
        var inFlight = client.GetAsync("/slow/1");
        while (slow.Received < 1)
        {
            await Task.Delay(20);
        }

        // nginx, HAProxy and Prometheus reload their config on SIGHUP, and systemd's usual ExecReload sends it.
        gateway.Signal(1);
        using var response = await inFlight;
        using var later = await client.GetAsync("/slow/2");

        (response.StatusCode, later.StatusCode).Should().Be((HttpStatusCode.OK, HttpStatusCode.OK));
        gateway.Process.HasExited.Should().BeFalse();
    }

    [Theory]
    [InlineData("grpc")]
    [InlineData("http/protobuf")]
    public async Task Sigterm_OtlpCollectorThatNeverAnswers_ExitHeldBackAtMostTheFinalExportTimeout(string protocol)
    {
        // A collector that accepts connections and never answers, as one that hangs (or a black-holed address) does.
        using var collector = new TcpListener(IPAddress.Loopback, 0);
        collector.Start();
        var held = new List<Socket>();
        _ = Task.Run(async () =>
        {
            while (true)
            {
                held.Add(await collector.AcceptSocketAsync());
            }
        });
        var file = _directory.Write("gateway.json", new GatewayConfigBuilder().Route("orders").Destination("orders", "orders-1", BackendSet.DeadAddress())
            .Set("Lifecycle:DrainDelaySeconds", 0).Set("Lifecycle:ShutdownTimeoutSeconds", 1)
            .Set("Telemetry:Otlp:Endpoint", "http://127.0.0.1:" + ((IPEndPoint)collector.LocalEndpoint).Port).Set("Telemetry:Otlp:Protocol", protocol).ToJson());
        await using var gateway = await GatewayProcess.StartAsync("--config", file);
        using var client = new HttpClient { BaseAddress = gateway.Address };
        using var response = await client.GetAsync("/orders/1");

        var clock = Stopwatch.StartNew();
        gateway.Terminate();
        var exitCode = await gateway.WaitForExitAsync(TimeSpan.FromSeconds(30));

        exitCode.Should().Be(0);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1 + 3 + 2),
            "drain 0 s + shutdown 1 s + the final export's 3 s, not the exporter's 10 s per export on top of the pod's margin");
    }

    private static async Task<HttpStatusCode> WaitForReadinessAsync(HttpClient admin)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var response = await admin.GetAsync("/healthz/ready");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return response.StatusCode;
            }

            await Task.Delay(20);
        }

        return HttpStatusCode.OK;
    }

    /// <summary>
    /// Polls new TCP connections until one is refused; returns when that happened on <paramref name="sinceSigterm"/>
    /// (a clock of its own would start only once readiness had failed, late by as much as a loaded machine delays it).
    /// </summary>
    private static async Task<TimeSpan> WaitForRefusedConnectionAsync(Uri address, Stopwatch sinceSigterm)
    {
        while (sinceSigterm.Elapsed < TimeSpan.FromSeconds(12))
        {
            using var socket = new TcpClient();
            try
            {
                await socket.ConnectAsync(IPAddress.Loopback, address.Port);
            }
            // A connection the kernel completed in the listen backlog is reset when the listener closes: refused too.
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset)
            {
                return sinceSigterm.Elapsed;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("new connections were never refused");
    }

    public void Dispose() => _directory.Dispose();
}
