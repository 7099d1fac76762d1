using Gateway.Tests.Support;
using static Gateway.Tests.Support.LaneSpec;

namespace Gateway.Tests.Host;

/// <summary>
/// With tracing off (no <c>Telemetry:Otlp:Endpoint</c>) a request gets no activity: nothing records spans, and
/// creating one per request (ids, a log scope, a trace context written on every forwarded request) cost the gateway
/// CPU on every request. Its visible sign is the forwarded <c>traceparent</c>: none is added, and a client's passes as
/// sent. Separate processes, since an activity listener started by another test would create activities in this one.
/// </summary>
public sealed class RequestActivityTests
{
    private const string ClientTraceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    [Fact]
    public async Task Proxy_TracingOff_ForwardsNoTraceContextOfItsOwn()
    {
        using var directory = new TempDirectory();
        await using var backend = await HeaderEchoBackend.StartAsync();
        await using var gateway = await StartAsync(directory, backend);
        using var client = new HttpClient { BaseAddress = gateway.Address };

        var plain = await HeaderEchoBackend.ReceivedAsync(client, "/orders/1", ("x-user-id", "1001"));
        var traced = await HeaderEchoBackend.ReceivedAsync(client, "/orders/1", ("x-user-id", "1001"), ("traceparent", ClientTraceparent));

        plain.Should().NotContain(line => line.StartsWith("traceparent:", StringComparison.OrdinalIgnoreCase));
        traced.Where(line => line.StartsWith("traceparent:", StringComparison.OrdinalIgnoreCase))
            .Should().Equal(["traceparent: " + ClientTraceparent], "a client's trace context passes through unchanged");
        plain.Should().Contain("baggage: lane=gray", "the lane still travels in baggage, as the gateway wrote it");
    }

    [Fact]
    public async Task Proxy_HostingDiagnosticsLogOn_CreatesTheActivityAgain()
    {
        using var directory = new TempDirectory();
        await using var backend = await HeaderEchoBackend.StartAsync();
        await using var gateway = await StartAsync(directory, backend, "--Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics", "Information");
        using var client = new HttpClient { BaseAddress = gateway.Address };

        var received = await HeaderEchoBackend.ReceivedAsync(client, "/orders/1", ("x-user-id", "1001"));

        received.Should().Contain(line => line.StartsWith("traceparent: 00-", StringComparison.OrdinalIgnoreCase));
        await Eventually.ValueAsync(() => Task.FromResult(gateway.Output), output => output.Contains("Request finished", StringComparison.Ordinal));
    }

    /// <summary>The gateway's logging defaults are the lowest layer: an environment variable (a pod spec's) overrides them.</summary>
    [Fact]
    public async Task Start_LogLevelSetByEnvironmentVariable_OverridesTheGatewaysDefault()
    {
        using var directory = new TempDirectory();
        await using var backend = await HeaderEchoBackend.StartAsync();
        var file = directory.Write("gateway.json", new GatewayConfigBuilder().Route("orders").Destination("orders", "orders-1", backend.Url));
        await using var gateway = await GatewayProcess.StartAsync(
            new Dictionary<string, string> { ["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information" }, "--config", file);
        using var client = new HttpClient { BaseAddress = gateway.Address };

        (await client.GetAsync("/orders/1")).EnsureSuccessStatusCode();

        await Eventually.ValueAsync(() => Task.FromResult(gateway.Output), output => output.Contains("Request finished", StringComparison.Ordinal));
    }

    private static Task<GatewayProcess> StartAsync(TempDirectory directory, HeaderEchoBackend backend, params string[] args)
    {
        var config = new GatewayConfigBuilder().Route("orders").Destination("orders", "orders-gray-1", backend.Url, "gray")
            .Group("trade", ["orders"], Match("vip", "gray", Header("x-user-id", "Exact", "1001")));
        var file = directory.Write("gateway.json", config);
        return GatewayProcess.StartAsync(["--config", file, .. args]);
    }
}
