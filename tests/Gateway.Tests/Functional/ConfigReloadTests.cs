using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static Gateway.Tests.Support.LaneSpec;

namespace Gateway.Tests.Functional;

public class ConfigReloadTests
{
    /// <summary>The config of version <paramref name="testersLane"/>: testers (x-user-id 1001) go to that lane.</summary>
    private static GatewayConfigBuilder Config(BackendSet orders, string testersLane) =>
        orders.AddTo(new GatewayConfigBuilder()).Group("trade", ["orders"], Match("testers", testersLane, Header("x-user-id", "Exact", "1001")));

    private static GatewayConfigBuilder Invalid(BackendSet orders, int variant) => variant % 2 == 0
        ? Config(orders, "gray").Group("broken", ["no-such-route"], Percentage("canary", "blue", 120))
        : Config(orders, "gray").Set("Lanes:IncomingTag:Trust", "Everyone");

    private static async Task<string> TesterLaneAsync(HttpClient client) => (await client.GetEchoAsync("/orders/1", ("x-user-id", "1001"))).Lane;

    [Fact]
    public async Task Reload_InvalidFile_KeepsPreviousSnapshotAndReportsProblems()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray", "blue");
        using var directory = new ConfigDirectory(Config(orders, "gray").ToJson(), mounted: false);
        await using var gateway = await TestGateway.StartFromFileAsync(directory.File);
        var before = await gateway.Admin.GetFromJsonAsync<JsonElement>("/admin/config");

        directory.Rewrite(Invalid(orders, 0).ToJson());
        var state = await WaitForAdminAsync(gateway, s => s.TryGetProperty("lastReload", out var r) && r.ValueKind == JsonValueKind.Object);

        state.GetProperty("revision").GetString().Should().Be(before.GetProperty("revision").GetString());
        var reload = state.GetProperty("lastReload");
        reload.GetProperty("result").GetString().Should().Be("failure");
        reload.GetProperty("problems").EnumerateArray().Select(p => p.GetString()).Should().BeEquivalentTo(
            "Lanes:Groups:broken:Routes[0]: unknown route 'no-such-route'; ReverseProxy:Routes has 'orders'",
            "Lanes:Groups:broken:Lanes[0]:Percentage: percentage 120 is outside 0-100");
        (await TesterLaneAsync(gateway.Client)).Should().Be("gray");
        var metrics = PrometheusText.Parse(await gateway.Admin.GetStringAsync("/metrics"));
        (metrics.Sum("gateway_config_reloads_total", ("result", "failure")), metrics.Sum("gateway_config_reloads_total", ("result", "success")))
            .Should().Be((1, 0));
    }

    /// <summary>A Kestrel limit whose setter refuses the value fails the reload with the problem at its key, not an unexpected error.</summary>
    [Fact]
    public async Task Reload_KestrelLimitOutOfRange_ReportedAtItsKeyAndNothingApplied()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray", "blue");
        using var directory = new ConfigDirectory(Config(orders, "gray").ToJson(), mounted: false);
        await using var gateway = await TestGateway.StartFromFileAsync(directory.File);

        directory.Rewrite(Config(orders, "blue").Set("Kestrel:Limits:MaxRequestBodySize", -5).ToJson());
        var state = await WaitForAdminAsync(gateway, s => s.TryGetProperty("lastReload", out var r) && r.ValueKind == JsonValueKind.Object);

        var reload = state.GetProperty("lastReload");
        reload.GetProperty("result").GetString().Should().Be("failure");
        reload.GetProperty("problems").EnumerateArray().Select(p => p.GetString()).Should()
            .Equal("Kestrel:Limits:MaxRequestBodySize: '-5' is out of range: Value must be null or a non-negative number.");
        (await TesterLaneAsync(gateway.Client)).Should().Be("gray");
    }

    /// <summary>
    /// A route YARP would refuse (here a path pattern it cannot parse) fails the whole reload before anything is
    /// applied: the lane change in the same file waits with it, and the routes that serve keep serving.
    /// </summary>
    [Fact]
    public async Task Reload_RouteYarpWouldRefuse_NothingIsApplied()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray", "blue");
        using var directory = new ConfigDirectory(Config(orders, "gray").ToJson(), mounted: false);
        await using var gateway = await TestGateway.StartFromFileAsync(directory.File);

        directory.Rewrite(Config(orders, "blue").Route("payments", "/payments/{", "orders").ToJson());
        var state = await WaitForAdminAsync(gateway, s => s.TryGetProperty("lastReload", out var r) && r.ValueKind == JsonValueKind.Object);

        var reload = state.GetProperty("lastReload");
        reload.GetProperty("result").GetString().Should().Be("failure");
        reload.GetProperty("problems").EnumerateArray().Select(p => p.GetString()).Should().Equal("ReverseProxy:Routes:payments: Invalid path '/payments/{' for route 'payments'.");
        (await TesterLaneAsync(gateway.Client)).Should().Be("gray", "the lanes of a refused file are not applied either");

        directory.Rewrite(Config(orders, "blue").Route("payments", "/payments/{**rest}", "orders").ToJson());
        await Eventually.ValueAsync(async () => (await gateway.Client.GetAsync("/payments/1")).StatusCode, status => status == System.Net.HttpStatusCode.OK);
        (await TesterLaneAsync(gateway.Client)).Should().Be("blue");
    }

    [Fact]
    public async Task Reload_TwentyChangesUnderLoad_NoFailedRequestAndValidChangesLiveWithinTwoSeconds()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray", "blue");
        using var directory = new ConfigDirectory(Config(orders, "gray").ToJson(), mounted: true);
        var logs = new CapturingLoggerProvider();
        await using var gateway = await TestGateway.StartFromFileAsync(directory.File, b => b.Logging.AddProvider(logs));
        using var load = new LoadGenerator(gateway.Client, "/orders/1", workers: 16);
        var current = "gray";
        var applied = new List<TimeSpan>();

        for (var change = 0; change < 20; change++)
        {
            var bySymlink = change % 2 == 0;
            var invalid = change % 4 == 3;
            var next = current == "gray" ? "blue" : "gray";
            var json = invalid ? Invalid(orders, change / 4).ToJson() : Config(orders, next).ToJson();
            var clock = Stopwatch.StartNew();
            if (bySymlink)
            {
                directory.SwapSymlink(json);
            }
            else
            {
                directory.Rewrite(json);
            }

            if (invalid)
            {
                await Task.Delay(1_500);
                (await TesterLaneAsync(gateway.Client)).Should().Be(current, "invalid change {0} must not be applied", change);
                continue;
            }

            while (await TesterLaneAsync(gateway.Client) != next)
            {
                clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2), "valid change {0} takes effect within 2 s", change);
                await Task.Delay(20);
            }

            applied.Add(clock.Elapsed);
            current = next;
        }

        var result = await load.StopAsync();
        result.Failed.Should().Be(0, "no request may fail while the config changes ({0})", result.FirstError);
        result.RequestsPerSecond.Should().BeGreaterThanOrEqualTo(1_000);
        applied.Should().HaveCount(15).And.OnlyContain(t => t < TimeSpan.FromSeconds(2));
        var reloads = PrometheusText.Parse(await gateway.Admin.GetStringAsync("/metrics"));
        reloads.Sum("gateway_config_reloads_total", ("result", "success")).Should().Be(15, string.Join("\n", logs.Entries.Where(e => e.EventId.Id is 3000 or 3001).Select(e => e.Message)));
        logs.Entries.Count(e => e.EventId.Id == 3001).Should().BeGreaterThanOrEqualTo(5, "each invalid change is logged as ConfigReloadFailed");
        reloads.Sum("gateway_config_reloads_total", ("result", "failure")).Should().BeGreaterThanOrEqualTo(5);
    }

    /// <summary>
    /// Changing only lanes leaves YARP alone (it would rebuild every route endpoint and the matcher), changing routes
    /// reloads it; both are live afterwards, logged with what changed, and timed in gateway_config_reload_duration.
    /// </summary>
    [Fact]
    public async Task Reload_LanesOnlyChangeLeavesRoutesAlone_RouteChangeReloadsThem()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray", "blue");
        using var directory = new ConfigDirectory(Config(orders, "gray").ToJson(), mounted: false);
        var logs = new CapturingLoggerProvider();
        await using var gateway = await TestGateway.StartFromFileAsync(directory.File, b => b.Logging.AddProvider(logs));

        directory.Rewrite(Config(orders, "blue").ToJson());
        await Eventually.ValueAsync(() => TesterLaneAsync(gateway.Client), lane => lane == "blue");
        var withPayments = Config(orders, "blue").Route("payments", "/payments/{**rest}", "orders");
        directory.Rewrite(withPayments.ToJson());
        await Eventually.ValueAsync(async () => (await gateway.Client.GetAsync("/payments/1")).StatusCode, status => status == System.Net.HttpStatusCode.OK);

        var reloads = logs.Entries.Where(e => e.EventId.Id == 3000).Select(e => e.State.Single(p => p.Key == "RoutesChanged").Value).ToList();
        reloads.Should().Equal(false, true);
        (await TesterLaneAsync(gateway.Client)).Should().Be("blue");
        var metrics = PrometheusText.Parse(await gateway.Admin.GetStringAsync("/metrics"));
        metrics.Sum("gateway_config_reload_duration_seconds_count").Should().Be(2);
    }

    /// <summary>
    /// A new file with the old one's size and modification time (cp -p, rsync -t) escapes the cheap size-and-time
    /// check; the periodic full read still finds it.
    /// </summary>
    [Fact]
    public async Task Reload_SameSizeAndTimestamp_SeenByPeriodicFullCheck()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray", "blue");
        static string Json(BackendSet orders, string lane) => Config(orders, lane).Set("ConfigReload:PollIntervalMilliseconds", 20).ToJson();
        using var directory = new ConfigDirectory(Json(orders, "gray"), mounted: false);
        var stamp = DateTime.UtcNow.AddHours(-1);
        File.SetLastWriteTimeUtc(directory.File, stamp);
        await using var gateway = await TestGateway.StartFromFileAsync(directory.File);
        await Task.Delay(500); // ~25 polls: the watcher has recorded the first file's size and time

        var next = Path.Combine(directory.Root, "next.json");
        File.WriteAllText(next, Json(orders, "blue"));
        new FileInfo(next).Length.Should().Be(new FileInfo(directory.File).Length, "the test needs a same-size change");
        File.SetLastWriteTimeUtc(next, stamp);
        File.Move(next, directory.File, overwrite: true);

        (await Eventually.ValueAsync(() => TesterLaneAsync(gateway.Client), lane => lane == "blue")).Should().Be("blue");
    }

    /// <summary>
    /// A replaced or failed config's JSON index goes back to the pool (8 MB for a 4.4 MB file, otherwise left to the
    /// large-object heap on every reload), while the serving config, which the next reload compares with, stays
    /// readable.
    /// </summary>
    [Fact]
    public async Task Reload_ReplacedConfigReleased_ServingOneKeptForTheNextComparison()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray", "blue");
        using var directory = new ConfigDirectory(Config(orders, "gray").ToJson(), mounted: false);
        await using var gateway = await TestGateway.StartFromFileAsync(directory.File);
        var watcher = gateway.Services.GetRequiredService<Gateway.Host.Reload.ConfigFileWatcher>();
        var first = watcher.Applied!;

        directory.Rewrite(Config(orders, "blue").ToJson());
        await Eventually.ValueAsync(() => TesterLaneAsync(gateway.Client), lane => lane == "blue");

        // Requests see the new lanes a moment before the watcher records the config as applied.
        var second = (await Eventually.ValueAsync(() => Task.FromResult(watcher.Applied), applied => applied != first))!;
        directory.Rewrite(Invalid(orders, 0).ToJson());
        await WaitForAdminAsync(gateway, s => s.TryGetProperty("lastReload", out var r) && r.ValueKind == JsonValueKind.Object && r.GetProperty("result").GetString() == "failure");

        second.Should().NotBeSameAs(first);
        watcher.Applied.Should().BeSameAs(second, "a failed config replaces nothing");
        var readReplaced = () => first.Document.Section("Lanes");
        readReplaced.Should().Throw<ObjectDisposedException>("the replaced config's document was given back");
        second.Document.Section("Lanes").ValueKind.Should().Be(JsonValueKind.Object, "the serving config stays readable");

        directory.Rewrite(Config(orders, "gray").ToJson());
        (await Eventually.ValueAsync(() => TesterLaneAsync(gateway.Client), lane => lane == "gray")).Should().Be("gray");
    }

    private static async Task<JsonElement> WaitForAdminAsync(TestGateway gateway, Func<JsonElement, bool> done)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var state = await gateway.Admin.GetFromJsonAsync<JsonElement>("/admin/config");
            if (done(state))
            {
                return state;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("admin config state never changed");
    }
}
