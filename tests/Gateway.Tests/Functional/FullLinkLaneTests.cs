using Gateway.Tests.Support;

namespace Gateway.Tests.Functional;

/// <summary>
/// Lanes past the first hop, through real processes: the gateway and six services built on Lanes.Propagation
/// (see <see cref="FullLinkChain"/>). The processes are shared; the one test that kills an instance restarts it.
/// </summary>
public sealed class FullLinkLaneTests : IClassFixture<FullLinkChain>
{
    private readonly FullLinkChain _chain;

    public FullLinkLaneTests(FullLinkChain chain) => _chain = chain;

    [Fact]
    public async Task Chain_GrayRequest_StaysInLaneWhereDeployedFallsBackWithTagAndReenters()
    {
        var (status, served, reply) = await _chain.Client.GetChainAsync("/shop/checkout", ("x-lane", "gray"));

        status.Should().Be(200);
        reply.Hops().Should().Be("web:gray:gray > orders:base:gray > payments:gray:gray");
        reply.Calls![0].Calls!.Select(c => c.Service + ":" + c.Lane + ":" + c.ReceivedTag).Should().Equal("payments:gray:gray", "ledger:gray:gray");
        served.Should().Be("gray");
    }

    [Fact]
    public async Task Chain_UntaggedRequest_StaysOnBaselineWithoutTag()
    {
        var (status, served, reply) = await _chain.Client.GetChainAsync("/shop/checkout");

        status.Should().Be(200);
        reply.Hops().Should().Be("web:base: > orders:base: > payments:base:");
        served.Should().Be("base");
    }

    [Fact]
    public async Task Chain_StrictServiceWithoutTheLane_RejectsMidChain()
    {
        var (status, _, reply) = await _chain.Client.GetChainAsync("/shop/checkout", ("x-lane", "blue"));
        var orders = await _chain.ScrapeAsync(_chain.Orders.Address);

        status.Should().Be(503);
        reply.Hops().Should().Be("web:base:blue > orders:base:blue > payments:base:blue");
        reply.Calls![0].Calls![1].Should().Match<Gateway.Host.Demo.ChainReply>(c => c.Service == "ledger" && c.Status == 503 && c.Error!.Contains("lane_unavailable"));
        orders.Sum("lanes_client_calls_total", ("service", "ledger"), ("decision", "rejected")).Should().BeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task Chain_ServiceReadingOnlyBaggage_KeepsTheLane()
    {
        var (status, served, reply) = await _chain.Client.GetChainAsync("/notify/send", ("x-lane", "gray"));

        status.Should().Be(200);
        reply.Hops().Should().Be("notify:base: > payments:gray:", "notify reads and writes only baggage, yet calls gray payments");
        served.Should().Be("gray");
    }

    [Fact]
    public async Task Chain_ForgedBaggageFromUntrustedClient_NeverReachesALane()
    {
        var (_, _, viaNotify) = await _chain.Client.GetChainAsync("/notify/send", ("baggage", "lane=gray"));
        var (_, _, viaShop) = await _chain.Client.GetChainAsync("/shop/checkout", ("baggage", "lane=gray"), ("x-mse-tag", "gray"));

        viaNotify.Hops().Should().Be("notify:base: > payments:base:");
        viaShop.Hops().Should().Be("web:base: > orders:base: > payments:base:");
    }

    [Fact]
    public async Task Chain_LaneInstanceDiesMidChain_FallsBackCountsAtCallerAndGatewaySeesUpstreamEscape()
    {
        var before = await Escapes();
        var healthy = await _chain.Client.GetChainAsync("/shop/checkout", ("x-lane", "gray"));
        var afterHealthy = await Escapes();

        await _chain.PaymentsGray.KillAsync();
        try
        {
            var broken = await _chain.Client.GetChainAsync("/shop/checkout", ("x-lane", "gray"));
            var afterBroken = await Escapes();
            var orders = await _chain.ScrapeAsync(_chain.Orders.Address);

            healthy.ServedLane.Should().Be("gray");
            afterHealthy.Should().Be(before, "nothing escaped");
            broken.Status.Should().Be(200);
            broken.Reply.Hops().Should().Be("web:gray:gray > orders:base:gray > payments:base:gray");
            broken.ServedLane.Should().Be("base", "the escape two hops down is reported to the gateway");
            afterBroken.Should().Be(before + 1);
            orders.Sum("lanes_client_calls_total", ("service", "payments"), ("lane", "gray"), ("decision", "escaped")).Should().BeGreaterThanOrEqualTo(1);
            orders.Sum("lanes_client_refused_connections_total", ("service", "payments"), ("lane", "gray")).Should().BeGreaterThanOrEqualTo(1);
        }
        finally
        {
            _chain.PaymentsGray = await _chain.PaymentsGray.RestartAsync();
        }

        var recovered = await _chain.Client.GetChainAsync("/shop/checkout", ("x-lane", "gray"));
        recovered.Reply.Hops().Should().Be("web:gray:gray > orders:base:gray > payments:gray:gray");
    }

    private async Task<double> Escapes() =>
        (await _chain.ScrapeAsync(_chain.Gateway.AdminAddress)).Sum("gateway_lane_escapes_total", ("route", "shop"), ("kind", "upstream"));
}
