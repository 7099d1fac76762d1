using System.Diagnostics;
using System.Text;
using Gateway.Tests.Support;
using static Gateway.Tests.Support.LaneSpec;

namespace Gateway.Tests.Functional;

/// <summary>What the reload watcher does with files that are not (yet) a config: half-written, missing, a FIFO.</summary>
public class ConfigFileWatcherTests
{
    private const int ReloadFailed = 3001;
    private const int ConfigUnreadable = 3002;
    private const int ConfigReadable = 3020;

    private static string Config(BackendSet orders, string testersLane) =>
        orders.AddTo(new GatewayConfigBuilder()).Group("trade", ["orders"], Match("testers", testersLane, Header("x-user-id", "Exact", "1001")))
            .Set("ConfigReload:PollIntervalMilliseconds", 20).ToJson();

    private static string WithSection(string config, string name, string json) =>
        config.Insert(config.IndexOf('{', StringComparison.Ordinal) + 1, "\"" + name + "\": " + json + ",");

    private static async Task<string> TesterLaneAsync(HttpClient client) => (await client.GetEchoAsync("/orders/1", ("x-user-id", "1001"))).Lane;

    private static async Task<double> FailuresAsync(TestGateway gateway) =>
        PrometheusText.Parse(await gateway.Admin.GetStringAsync("/metrics")).Sum("gateway_config_reloads_total", ("result", "failure"));

    /// <summary>Issue 13 item 6: <c>cat &gt; file</c> truncates, then writes; a read between the two is not a failed reload.</summary>
    [Fact]
    public async Task Reload_FileWrittenInTwoHalvesWithAPause_NoFailureCounted()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray", "blue");
        using var directory = new ConfigDirectory(Config(orders, "gray"), mounted: false);
        var logs = new CapturingLoggerProvider();
        await using var gateway = await TestGateway.StartFromFileAsync(directory.File, b => b.Logging.AddProvider(logs));
        var next = Encoding.UTF8.GetBytes(Config(orders, "blue"));

        await using (var file = new FileStream(directory.File, FileMode.Truncate, FileAccess.Write))
        {
            await file.WriteAsync(next.AsMemory(0, next.Length / 2));
            await file.FlushAsync();
            await Task.Delay(300);
            await file.WriteAsync(next.AsMemory(next.Length / 2));
        }

        (await Eventually.ValueAsync(() => TesterLaneAsync(gateway.Client), lane => lane == "blue")).Should().Be("blue");
        (await FailuresAsync(gateway)).Should().Be(0, string.Join("\n", logs.Entries.Where(e => e.EventId.Id == ReloadFailed).Select(e => e.Message)));
    }

    /// <summary>
    /// A reload does not rebuild the logger: a <c>Serilog</c> section Serilog refuses was applied, and stopped only the
    /// next start (every restarted pod, long after the edit). Now it fails the reload, as the start checks it.
    /// </summary>
    [Fact]
    public async Task Reload_SerilogSectionSerilogRefuses_NotAppliedUntilFixed()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray", "blue");
        using var directory = new ConfigDirectory(Config(orders, "gray"), mounted: false);
        var logs = new CapturingLoggerProvider();
        await using var gateway = await TestGateway.StartFromFileAsync(directory.File, b => b.Logging.AddProvider(logs));

        directory.Rewrite(WithSection(Config(orders, "blue"), "Serilog", """{ "MinimumLevel": "Loud" }"""));
        var failed = await Eventually.ValueAsync(() => Task.FromResult(logs.Entries.FirstOrDefault(e => e.EventId.Id == ReloadFailed)), e => e is not null);
        var laneMeanwhile = await TesterLaneAsync(gateway.Client);
        directory.Rewrite(WithSection(Config(orders, "blue"), "Serilog", """{ "MinimumLevel": "Warning" }"""));

        failed!.Message.Should().Contain("Serilog: The value Loud is not a valid Serilog level.");
        laneMeanwhile.Should().Be("gray");
        (await Eventually.ValueAsync(() => TesterLaneAsync(gateway.Client), lane => lane == "blue")).Should().Be("blue");
    }

    /// <summary>The README says Kestrel's own endpoints follow the file: an endpoint added by a reload serves.</summary>
    [Fact]
    public async Task Reload_KestrelEndpointAdded_Serves()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray", "blue");
        using var directory = new ConfigDirectory(Config(orders, "gray"), mounted: false);
        await using var gateway = await TestGateway.StartFromFileAsync(directory.File);
        var address = BackendSet.DeadAddress();
        using var client = new HttpClient { BaseAddress = new Uri(address) };

        directory.Rewrite(WithSection(Config(orders, "blue"), "Kestrel", "{ \"Endpoints\": { \"extra\": { \"Url\": \"" + address + "\" } } }"));

        (await Eventually.ValueAsync(async () => await TryLaneAsync(client), lane => lane == "blue")).Should().Be("blue");
    }

    private static async Task<string?> TryLaneAsync(HttpClient client)
    {
        try
        {
            return await TesterLaneAsync(client);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>
    /// Kestrel reloads its endpoints itself: an https endpoint whose certificate it cannot load was only logged by
    /// Kestrel (with a stack trace) while the reload counted as applied, and the next start failed. Now the reload fails.
    /// </summary>
    [Fact]
    public async Task Reload_KestrelEndpointWithMissingCertificate_NotApplied()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray", "blue");
        using var directory = new ConfigDirectory(Config(orders, "gray"), mounted: false);
        var logs = new CapturingLoggerProvider();
        await using var gateway = await TestGateway.StartFromFileAsync(directory.File, b => b.Logging.AddProvider(logs));

        var certificate = Path.Combine(Path.GetDirectoryName(directory.File)!, "missing.pfx");
        directory.Rewrite(WithSection(Config(orders, "blue"), "Kestrel",
            "{ \"Endpoints\": { \"tls\": { \"Url\": \"https://127.0.0.1:0\", \"Certificate\": { \"Path\": \"" + certificate + "\" } } } }"));
        var failed = await Eventually.ValueAsync(() => Task.FromResult(logs.Entries.FirstOrDefault(e => e.EventId.Id == ReloadFailed)), e => e is not null);

        failed!.Message.Should().Contain("Kestrel: Failed to set up Kestrel:Endpoints:tls: the file '" + certificate + "' does not exist.");
        (await TesterLaneAsync(gateway.Client)).Should().Be("gray");
    }

    /// <summary>
    /// A file written beside the config every millisecond (a log, say) keeps its directory's events coming: the watcher
    /// waited for a quiet moment after each event before reading, so a change was held back as long as the noise lasted.
    /// </summary>
    [Fact]
    public async Task Reload_DirectoryNeverQuiet_ChangeAppliedAnyway()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray", "blue");
        using var directory = new ConfigDirectory(Config(orders, "gray"), mounted: false);
        await using var gateway = await TestGateway.StartFromFileAsync(directory.File);
        using var stop = new CancellationTokenSource();
        var noise = new Thread(() =>
        {
            using var log = new FileStream(Path.Combine(Path.GetDirectoryName(directory.File)!, "noise.log"), FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 1);
            while (!stop.IsCancellationRequested)
            {
                log.WriteByte((byte)'x');
                log.Flush();
                Thread.Sleep(1);
            }
        }) { IsBackground = true };
        noise.Start();
        try
        {
            await Task.Delay(500);
            directory.Rewrite(Config(orders, "blue"));

            (await Eventually.ValueAsync(() => TesterLaneAsync(gateway.Client), lane => lane == "blue")).Should().Be("blue");
        }
        finally
        {
            await stop.CancelAsync();
            noise.Join();
        }
    }

    /// <summary>Issue 13 item 9: a file missing for seconds (polled every 20 ms) is logged once when it goes and once when it is back.</summary>
    [Fact]
    public async Task Reload_FileMissingForSeconds_LoggedOnceGoneAndOnceBack()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray", "blue");
        using var directory = new ConfigDirectory(Config(orders, "gray"), mounted: false);
        var logs = new CapturingLoggerProvider();
        await using var gateway = await TestGateway.StartFromFileAsync(directory.File, b => b.Logging.AddProvider(logs));

        File.Delete(directory.File);
        await Task.Delay(3_000);
        directory.Rewrite(Config(orders, "blue"));
        await Eventually.ValueAsync(() => TesterLaneAsync(gateway.Client), lane => lane == "blue");

        logs.Entries.Count(e => e.EventId.Id == ConfigUnreadable).Should().Be(1);
        (await Eventually.ValueAsync(() => Task.FromResult(logs.Entries.Count(e => e.EventId.Id == ConfigReadable)), count => count > 0)).Should().Be(1);
        (await FailuresAsync(gateway)).Should().Be(0, "a missing file is not a failed reload");
    }

    /// <summary>
    /// Issue 13 item 4: a FIFO in place of the config hung the watcher forever. Now it is one failed reload naming
    /// the path, a valid file after it is applied, and the gateway still stops promptly.
    /// </summary>
    [Fact]
    public async Task Reload_ConfigReplacedByFifo_FailureCountedOnceThenNextFileApplied()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray", "blue");
        using var directory = new ConfigDirectory(Config(orders, "gray"), mounted: false);
        var logs = new CapturingLoggerProvider();
        var gateway = await TestGateway.StartFromFileAsync(directory.File, b => b.Logging.AddProvider(logs));

        File.Delete(directory.File);
        SpecialFiles.MakeFifo(directory.File);
        await Eventually.ValueAsync(() => FailuresAsync(gateway), failures => failures > 0);
        await Task.Delay(500);
        var failures = await FailuresAsync(gateway);
        File.Delete(directory.File);
        directory.Rewrite(Config(orders, "blue"));
        var lane = await Eventually.ValueAsync(() => TesterLaneAsync(gateway.Client), lane => lane == "blue");
        var stopping = Stopwatch.StartNew();
        await gateway.DisposeAsync();

        failures.Should().Be(1, "the same unusable file is reported once, not at every poll");
        logs.Entries.Where(e => e.EventId.Id == ReloadFailed).Select(e => e.Message).Should().ContainSingle()
            .Which.Should().Contain(directory.File).And.Contain("FIFO");
        lane.Should().Be("blue");
        stopping.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
    }
}
