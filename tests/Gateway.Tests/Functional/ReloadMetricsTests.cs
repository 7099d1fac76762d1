using Gateway.Host.Diagnostics;
using Gateway.Tests.Support;
using static Gateway.Tests.Support.LaneSpec;

namespace Gateway.Tests.Functional;

/// <summary>
/// What the ConfigReloadFailing alert and the dashboard's reload panel read: both reload counter series from the
/// first scrape, and gateway_config_last_reload_successful following the file on disk (0 while broken, 1 once fixed).
/// </summary>
public class ReloadMetricsTests
{
    private static GatewayConfigBuilder Valid(BackendSet orders, string testersLane) =>
        orders.AddTo(new GatewayConfigBuilder()).Group("trade", ["orders"], Match("testers", testersLane, Header("x-user-id", "Exact", "1001")));

    private static GatewayConfigBuilder Broken(BackendSet orders) =>
        Valid(orders, "gray").Group("broken", ["no-such-route"], Percentage("canary", "blue", 120));

    /// <summary>
    /// With <c>--config</c>, as in production: the reload counter used to be built (and its zero series recorded)
    /// before the metrics pipeline listened, so its series appeared only at the first reload, too late for an alert.
    /// </summary>
    [Fact]
    public async Task FirstScrape_ConfigFile_HasBothReloadSeriesAtZeroAndTheGaugeAtOne()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray");
        using var directory = new TempDirectory();
        var file = directory.Write("gateway.json", Valid(orders, "gray"));
        await using var gateway = await GatewayProcess.StartAsync("--config", file);
        using var admin = new HttpClient { BaseAddress = gateway.AdminAddress };

        var samples = PrometheusText.Parse(await admin.GetStringAsync("/metrics"));

        samples.Where(s => s.Name == "gateway_config_reloads_total").Select(s => (s.Labels["result"], s.Value))
            .Should().BeEquivalentTo([("success", 0.0), ("failure", 0.0)]);
        samples.Should().ContainSingle(s => s.Name == "gateway_config_last_reload_successful").Which.Value.Should().Be(1);
    }

    [Fact]
    public async Task Reload_BrokenThenFixed_GaugeGoesToZeroAndBackToOne()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray", "blue");
        using var directory = new ConfigDirectory(Valid(orders, "gray").ToJson(), mounted: false);
        await using var gateway = await TestGateway.StartFromFileAsync(directory.File);

        directory.Rewrite(Broken(orders).ToJson());
        var broken = await Eventually.ValueAsync(() => ScrapeAsync(gateway), s => s.Sum("gateway_config_last_reload_successful") == 0);
        directory.Rewrite(Valid(orders, "blue").ToJson());
        var fixedAgain = await Eventually.ValueAsync(() => ScrapeAsync(gateway), s => s.Sum("gateway_config_last_reload_successful") == 1);

        broken.Sum("gateway_config_reloads_total", ("result", "failure")).Should().BeGreaterThanOrEqualTo(1);
        broken.Sum("gateway_config_reloads_total", ("result", "success")).Should().Be(0);
        fixedAgain.Sum("gateway_config_reloads_total", ("result", "success")).Should().Be(1);
        (await gateway.Client.GetEchoAsync("/orders/1", ("x-user-id", "1001"))).Lane.Should().Be("blue");
    }

    /// <summary>
    /// A scrape right after another one shows what was recorded in between: the exporter's response cache (300 ms by
    /// default) would serve the first one's numbers again.
    /// </summary>
    [Fact]
    public async Task Scrape_RightAfterAnother_ShowsWhatWasRecordedInBetween()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray");
        await using var gateway = await TestGateway.StartAsync(Valid(orders, "gray"));
        var metrics = gateway.Services.GetRequiredService<HostMetrics>();

        var before = await ScrapeAsync(gateway);
        metrics.RecordReload(success: false);
        var after = await ScrapeAsync(gateway);

        (before.Sum("gateway_config_last_reload_successful"), after.Sum("gateway_config_last_reload_successful")).Should().Be((1, 0));
        after.Sum("gateway_config_reloads_total", ("result", "failure")).Should().Be(1);
    }

    private static async Task<List<PrometheusText.Sample>> ScrapeAsync(TestGateway gateway) =>
        PrometheusText.Parse(await gateway.Admin.GetStringAsync("/metrics"));
}
