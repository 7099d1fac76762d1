using System.Text.Json;
using Gateway.Tests.Support;
using static Gateway.Tests.Support.LaneSpec;

namespace Gateway.Tests.Host;

public sealed class AccessLogTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task AccessLog_JsonFormat_OneLinePerProxiedRequestWithLaneFields()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray");
        var file = _directory.Write("gateway.json", orders.AddTo(new GatewayConfigBuilder())
            .Group("trade", ["orders"], Match("vip", "gray", Header("x-user-id", "Exact", "1001")))
            .Set("Logging:Format", "json").ToJson());
        await using var gateway = await GatewayProcess.StartAsync("--config", file);
        using var client = new HttpClient { BaseAddress = gateway.Address };

        await client.GetEchoAsync("/orders/7", ("x-user-id", "1001"));
        await client.GetEchoAsync("/orders/8", ("x-user-id", "2"));

        var lines = await WaitForAccessLinesAsync(gateway, 2);
        var gray = lines.Single(l => l.GetProperty("Properties").GetProperty("Path").GetString() == "/orders/7").GetProperty("Properties");
        (gray.GetProperty("RouteId").GetString(), gray.GetProperty("ClusterId").GetString(), gray.GetProperty("DestinationId").GetString())
            .Should().Be(("orders", "orders", "orders-gray-1"));
        (gray.GetProperty("LaneTag").GetString(), gray.GetProperty("ServedLane").GetString(), gray.GetProperty("Decision").GetString())
            .Should().Be(("gray", "gray", "lane"));
        gray.GetProperty("StatusCode").GetInt32().Should().Be(200);
        gray.GetProperty("ElapsedMs").GetDouble().Should().BeGreaterThan(0);
        gray.GetProperty("EventId").GetProperty("Id").GetInt32().Should().Be(2100);
    }

    /// <summary>
    /// Kestrel decodes %0A and %0D in the path, and the text access log once wrote the path as decoded: a client could
    /// end the line and write a log line of its own (a forged warning). The path is logged in its escaped form.
    /// </summary>
    [Fact]
    public async Task AccessLog_PathWithEncodedLineBreaks_StaysOnItsLineEscaped()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base");
        var file = _directory.Write("gateway.json", orders.AddTo(new GatewayConfigBuilder()).ToJson());
        await using var gateway = await GatewayProcess.StartAsync("--config", file);
        using var client = new HttpClient { BaseAddress = gateway.Address };

        await client.GetEchoAsync("/orders/1%0A%5B12:00:00%20WRN%5D%20FORGED-7c1%0D%0Aend");
        await client.GetEchoAsync("/orders/after");
        await Eventually.ValueAsync(() => Task.FromResult(gateway.Output), o => o.Contains("/orders/after", StringComparison.Ordinal));

        var lines = gateway.Output.Split('\n');
        lines.Should().NotContain(l => l.StartsWith("[12:00:00 WRN]", StringComparison.Ordinal), "a client cannot start a log line");
        lines.Should().ContainSingle(l => l.Contains("FORGED-7c1", StringComparison.Ordinal))
            .Which.Should().Contain("Gateway.AccessLog: GET /orders/1%0A%5B12:00:00%20WRN%5D%20FORGED-7c1%0D%0Aend route orders");
    }

    private static async Task<List<JsonElement>> WaitForAccessLinesAsync(GatewayProcess gateway, int count)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var lines = gateway.Output.Split('\n')
                .Where(l => l.StartsWith('{') && l.Contains("\"Gateway.AccessLog\"", StringComparison.Ordinal))
                .Select(l => JsonDocument.Parse(l).RootElement.Clone())
                .ToList();
            if (lines.Count >= count)
            {
                lines.Should().HaveCount(count, "one line per proxied request");
                return lines;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("access log lines missing; output: " + gateway.Output);
    }

    public void Dispose() => _directory.Dispose();
}
