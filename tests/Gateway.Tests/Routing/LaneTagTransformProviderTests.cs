using System.Net.Http.Headers;
using Gateway.Routing.Tagging;
using Gateway.Tests.Support;
using static Gateway.Tests.Support.LaneSpec;

namespace Gateway.Tests.Routing;

/// <summary>The tag header on the forwarded request: only the gateway's decision, in no other spelling.</summary>
public class LaneTagTransformProviderTests
{
    private static async Task<string[]> ForwardedHeadersAsync(string trust, params (string Name, string Value)[] headers)
    {
        await using var backend = await HeaderEchoBackend.StartAsync();
        var config = new GatewayConfigBuilder()
            .Route("orders")
            .Destination("orders", "orders-1", backend.Url)
            .Group("trade", ["orders"], Match("vip", "gray", Header("x-user-id", "Exact", "1001")))
            .Set("Lanes:IncomingTag:Trust", trust);
        await using var gateway = await TestGateway.StartAsync(config);
        return await HeaderEchoBackend.ReceivedAsync(gateway.Client, "/orders/1", headers);
    }

    private static bool IsTagSpelling(string line) => HeaderSpellings.Same(line.AsSpan(0, line.IndexOf(':', StringComparison.Ordinal)), "x-mse-tag");

    [Fact]
    public async Task StampTag_UntrustedUnderscoreAndMixedSpellings_AreNotForwarded()
    {
        var received = await ForwardedHeadersAsync("None", ("x_mse_tag", "gray"), ("X_Mse-TAG", "blue"), ("x-mse_tag", "dev"), ("x-other", "kept"));

        received.Where(IsTagSpelling).Should().BeEmpty();
        received.Should().Contain("x-other: kept");
    }

    [Fact]
    public async Task StampTag_TrustedTagWithAnUnderscoreTwin_ForwardsOnlyTheDecision()
    {
        var received = await ForwardedHeadersAsync("All", ("x-mse-tag", "gray"), ("x_mse_tag", "blue"));

        received.Where(IsTagSpelling).Should().Equal("x-mse-tag: gray");
    }

    [Fact]
    public async Task StampTag_RuleDecidesAndClientSentUnderscoreTag_ForwardsOnlyTheDecision()
    {
        var received = await ForwardedHeadersAsync("None", ("x-user-id", "1001"), ("x_mse_tag", "blue"));

        received.Where(IsTagSpelling).Should().Equal("x-mse-tag: gray");
    }

    [Theory]
    [InlineData("x-mse-tag", "x-mse-tag", true)]
    [InlineData("X_MSE_TAG", "x-mse-tag", true)]
    [InlineData("x-mse-tag", "x_Mse-tag", true)]
    [InlineData("x-mse-tags", "x-mse-tag", false)]
    [InlineData("x.mse.tag", "x-mse-tag", false)]
    [InlineData("xmsetag", "x-mse-tag", false)]
    public void Same_SeparatorsAndCase_AreAlikeNothingElse(string a, string b, bool expected)
    {
        HeaderSpellings.Same(a, b).Should().Be(expected);
    }

    [Fact]
    public void RemoveAll_NoSpellingPresent_AllocatesNothing()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1/");
        request.Headers.TryAddWithoutValidation("x-user-id", "1001");
        request.Headers.TryAddWithoutValidation("Accept", "*/*");
        request.Headers.TryAddWithoutValidation("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        HeaderSpellings.RemoveAll(request.Headers, "x-mse-tag");

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            HeaderSpellings.RemoveAll(request.Headers, "x-mse-tag");
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
        request.Headers.NonValidated.Count.Should().Be(3);
    }
}
