using System.Collections.Concurrent;
using System.Text;
using Gateway.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using static Gateway.Tests.Support.LaneSpec;

namespace Gateway.Tests.Host;

/// <summary>With Telemetry:Otlp:Endpoint set, metrics and traces (carrying the lane tags) reach an OTLP/HTTP receiver.</summary>
[Collection(ProcessWideTracing.Name)]
public sealed class OtlpExportTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<(string Path, string ContentType, byte[] Body)> _received = new();
    private WebApplication _collector = null!;
    private string _collectorUrl = "";

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _collector = builder.Build();
        _collector.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            _received.Enqueue((context.Request.Path, context.Request.ContentType ?? "", body.ToArray()));
            context.Response.ContentType = "application/x-protobuf";
        });
        await _collector.StartAsync();
        _collectorUrl = _collector.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public async Task DisposeAsync() => await _collector.DisposeAsync();

    [Fact]
    public async Task Otlp_ExportsLaneMetricsAndTracesWithLaneTags()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray");
        var config = orders.AddTo(new GatewayConfigBuilder())
            .Group("trade", ["orders"], Match("vip", "gray", Header("x-user-id", "Exact", "1001")))
            .Set("Telemetry:Otlp:Endpoint", _collectorUrl)
            .Set("Telemetry:Otlp:Protocol", "http/protobuf")
            .Set("Telemetry:Otlp:ExportIntervalSeconds", 0.5);
        await using var gateway = await TestGateway.StartAsync(config);

        using (var direct = new HttpClient { BaseAddress = new Uri(orders["base"].Url) })
        {
            await direct.GetStringAsync("/not-through-the-gateway");
        }

        (await gateway.Client.GetEchoAsync("/orders/1", ("x-user-id", "1001"))).Lane.Should().Be("gray");

        var metrics = await WaitForAsync("/v1/metrics", "gateway.lane.requests");
        var traces = await WaitForAsync("/v1/traces", "lane.served");
        metrics.ContentType.Should().Be("application/x-protobuf");
        Text(metrics.Body).Should().Contain("lanes-gateway").And.Contain("served_lane");
        Text(traces.Body).Should().Contain("lane.tag").And.Contain("gray");
        var forwarder = await WaitForAsync("/v1/traces", "proxy.forwarder");
        Text(forwarder.Body).Should().Contain("lane.tag", "YARP's own forwarder span carries the lane tag too");
        var client = await WaitForAsync("/v1/traces", "System.Net.Http");
        Text(client.Body).Should().Contain(orders["gray"].Url.TrimEnd('/') + "/orders/1", "the forwarded request's client span (HttpClient instrumentation)");
        _received.Where(r => r.Path == "/v1/traces").Should().NotContain(r => Text(r.Body).Contains("/not-through-the-gateway", StringComparison.Ordinal),
            "a backend's server span in the same process is not the gateway's");
    }

    /// <summary>
    /// A request on one of Kestrel's own endpoints (an https listener of <c>Kestrel:Endpoints</c>, plain HTTP here) is
    /// the gateway's too: the filter that keeps other hosts' spans out took only the gateway's own listeners, so such
    /// requests were never traced.
    /// </summary>
    [Fact]
    public async Task Otlp_RequestOnAKestrelEndpoint_IsTraced()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base");
        var config = orders.AddTo(new GatewayConfigBuilder())
            .Set("Kestrel:Endpoints:extra:Url", "http://127.0.0.1:0")
            .Set("Telemetry:Otlp:Endpoint", _collectorUrl)
            .Set("Telemetry:Otlp:Protocol", "http/protobuf")
            .Set("Telemetry:Otlp:ExportIntervalSeconds", 0.5);
        await using var gateway = await TestGateway.StartAsync(config);
        var ours = new[] { gateway.Client.BaseAddress!.ToString().TrimEnd('/'), gateway.Admin.BaseAddress!.ToString().TrimEnd('/') };
        var extra = gateway.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single(a => !ours.Contains(a.TrimEnd('/')));
        using var client = new HttpClient { BaseAddress = new Uri(extra) };

        (await client.GetEchoAsync("/orders/via-kestrel-endpoint")).Instance.Should().Be("orders-base-1");

        (await WaitForAsync("/v1/traces", "/orders/via-kestrel-endpoint")).Body.Should().NotBeEmpty();
    }

    /// <summary>
    /// Kestrel rebinds its endpoints on a reload: a request on an endpoint the reload added is the gateway's too, but
    /// the filter knew only the addresses bound at start, so it was never traced.
    /// </summary>
    [Fact]
    public async Task Otlp_RequestOnAKestrelEndpointAddedByAReload_IsTraced()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base");
        var config = orders.AddTo(new GatewayConfigBuilder())
            .Set("ConfigReload:PollIntervalMilliseconds", 20)
            .Set("Telemetry:Otlp:Endpoint", _collectorUrl)
            .Set("Telemetry:Otlp:Protocol", "http/protobuf")
            .Set("Telemetry:Otlp:ExportIntervalSeconds", 0.5);
        using var directory = new ConfigDirectory(config.ToJson(), mounted: false);
        await using var gateway = await TestGateway.StartFromFileAsync(directory.File);
        var address = BackendSet.DeadAddress();
        using var client = new HttpClient { BaseAddress = new Uri(address) };

        directory.Rewrite(config.Set("Kestrel:Endpoints:added:Url", address).ToJson());
        await Eventually.ValueAsync(async () =>
        {
            try
            {
                return (await client.GetEchoAsync("/orders/via-added-endpoint")).Instance;
            }
            catch (HttpRequestException)
            {
                return null;
            }
        }, instance => instance == "orders-base-1");

        (await WaitForAsync("/v1/traces", "/orders/via-added-endpoint")).Body.Should().NotBeEmpty();
    }

    /// <summary>With traces on, an OpenMetrics scrape links each duration bucket's last sample to its trace.</summary>
    [Fact]
    public async Task OpenMetricsScrape_WithOtlp_DurationBucketsCarryTraceExemplars()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray");
        var config = orders.AddTo(new GatewayConfigBuilder())
            .Group("trade", ["orders"], Match("vip", "gray", Header("x-user-id", "Exact", "1001")))
            .Set("Telemetry:Otlp:Endpoint", _collectorUrl)
            .Set("Telemetry:Otlp:Protocol", "http/protobuf");
        await using var gateway = await TestGateway.StartAsync(config);

        await gateway.Client.GetEchoAsync("/orders/1", ("x-user-id", "1001"));

        var lines = await Eventually.ValueAsync(
            async () =>
            {
                using var scrape = new HttpRequestMessage(HttpMethod.Get, "/metrics");
                scrape.Headers.Accept.ParseAdd("application/openmetrics-text;version=1.0.0");
                using var response = await gateway.Admin.SendAsync(scrape);
                return (await response.Content.ReadAsStringAsync()).Split('\n');
            },
            lines => lines.Any(l => l.StartsWith("gateway_lane_request_duration_seconds_bucket{", StringComparison.Ordinal)));
        lines.Should().Contain(l => l.StartsWith("gateway_lane_request_duration_seconds_bucket{", StringComparison.Ordinal)
            && l.Contains("lane=\"gray\"", StringComparison.Ordinal) && l.Contains(" # {trace_id=\"", StringComparison.Ordinal));
    }

    private static string Text(byte[] body) => Encoding.UTF8.GetString(body);

    private async Task<(string Path, string ContentType, byte[] Body)> WaitForAsync(string path, string marker)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var hit = _received.FirstOrDefault(r => r.Path == path && Text(r.Body).Contains(marker, StringComparison.Ordinal));
            if (hit.Body is not null)
            {
                return hit;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("no OTLP export to " + path + " containing '" + marker + "'; received " + string.Join(", ", _received.Select(r => r.Path)));
    }
}
