using Gateway.Tests.Support;
using static Gateway.Tests.Support.LaneSpec;

namespace Gateway.Tests.Functional;

/// <summary>
/// A client's lane in the baggage formats older than W3C's, which a service's propagator may read instead of
/// <c>baggage</c> (.NET's before .NET 10, Jaeger's, OpenTracing's), never reaches a backend; other entries do.
/// </summary>
public sealed class LaneBaggageFormatsTests : IAsyncLifetime
{
    private HeaderEchoBackend _backend = null!;
    private TestGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _backend = await HeaderEchoBackend.StartAsync();
        _gateway = await TestGateway.StartAsync(new GatewayConfigBuilder()
            .Route("shop").Destination("shop", "shop-base-1", _backend.Url)
            .Group("g", ["shop"], Match("gray", "gray", Header("x-lane", "Exact", "gray"))));
    }

    [Theory]
    [InlineData("Correlation-Context", "lane=gray,user=42", "Correlation-Context: user=42")]
    [InlineData("Correlation-Context", "user=42, l%61ne = gray;p=1", "Correlation-Context: user=42")]
    [InlineData("correlation_context", "LANE=gray", null)]
    [InlineData("jaeger-baggage", "lane=gray, user=42", "jaeger-baggage: user=42")]
    [InlineData("uberctx-lane", "gray", null)]
    [InlineData("UberCtx-LANE", "gray", null)]
    [InlineData("uberctx_lane", "gray", null)]
    [InlineData("ot-baggage-lane", "gray", null)]
    [InlineData("uberctx-user", "42", "uberctx-user: 42")]
    public async Task Forward_UntrustedClientsLaneInAnOlderBaggageFormat_IsRemovedOthersKept(string name, string value, string? forwarded)
    {
        var plain = await HeaderEchoBackend.ReceivedAsync(_gateway.Client, "/shop/1", (name, value));
        var gray = await HeaderEchoBackend.ReceivedAsync(_gateway.Client, "/shop/1", ("x-lane", "gray"), (name, value.Replace("gray", "blue", StringComparison.Ordinal)));

        foreach (var received in new[] { plain, gray })
        {
            received.Should().NotContain(line => line.Contains("gray", StringComparison.OrdinalIgnoreCase) && !line.StartsWith("baggage:", StringComparison.Ordinal) && !line.StartsWith("x-", StringComparison.Ordinal));
            received.Should().NotContain(line => line.Contains("blue", StringComparison.Ordinal));
            if (forwarded is null)
            {
                received.Should().NotContain(line => line.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase));
            }
            else
            {
                received.Should().ContainSingle(line => line.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase)).Which.Should().BeEquivalentTo(forwarded);
            }
        }

        gray.Should().Contain("baggage: lane=gray").And.Contain("x-mse-tag: gray");
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _backend.DisposeAsync();
    }
}
