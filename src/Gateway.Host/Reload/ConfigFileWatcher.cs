using System.Security.Cryptography;
using Gateway.Host.Config;
using Gateway.Host.Diagnostics;
using Gateway.Routing.Config;

namespace Gateway.Host.Reload;

/// <summary>
/// Watches the <c>--config</c> file by reading it every <c>ConfigReload:PollIntervalMilliseconds</c> and comparing
/// content hashes. Polling sees both an in-place rewrite and Kubernetes' atomic symlink swap of a mounted ConfigMap,
/// which file-system events can miss. A changed file is validated and compiled on the side; only a config without
/// problems is applied (lane snapshot and YARP routes together), otherwise the last good one keeps serving. Every
/// failure is caught, logged and counted: the watcher never stops.
/// </summary>
internal sealed partial class ConfigFileWatcher(
    GatewayConfigSource source,
    ValidatedConfigurationProvider configuration,
    GatewaySnapshotSource snapshots,
    ConfigState state,
    HostMetrics metrics,
    TimeProvider time,
    IConfiguration settings,
    ILogger<ConfigFileWatcher> logger) : BackgroundService
{
    public const int DefaultPollIntervalMilliseconds = 250;

    private byte[] _lastHash = [];

    /// <summary>Records the content the gateway started with, so an unchanged file is not reloaded.</summary>
    public void Started(byte[] content) => _lastHash = SHA256.HashData(content);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMilliseconds(settings.GetValue("ConfigReload:PollIntervalMilliseconds", DefaultPollIntervalMilliseconds));
        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                Poll();
            }
            catch (Exception ex)
            {
                // Whatever went wrong, keep watching: a reload path that stops ends hot reload for good.
                Fail(["unexpected error: " + ex.Message]);
            }
        }
    }

    /// <summary>Checks the file once; returns true when a new config was applied.</summary>
    public bool Poll()
    {
        byte[] content;
        try
        {
            content = File.ReadAllBytes(source.File!);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A missing file mid-swap is retried on the next tick without counting it as a failed reload.
            Log.ConfigUnreadable(logger, source.File!, ex.Message);
            return false;
        }

        var hash = SHA256.HashData(content);
        if (hash.AsSpan().SequenceEqual(_lastHash))
        {
            return false;
        }

        _lastHash = hash;
        var problems = new List<ConfigProblem>();
        var loaded = GatewayConfigLoader.Parse(content, source.Description, problems);
        var snapshot = loaded is null ? null : GatewayConfigLoader.Compile(loaded, source.BaseDirectory, problems);
        if (snapshot is null)
        {
            Fail([.. problems.Select(p => p.ToString())]);
            return false;
        }

        configuration.Replace(loaded!.AsEnumerable());
        snapshots.Publish(snapshot);
        state.Applied(snapshot.RevisionId, time.GetUtcNow());
        metrics.RecordReload(success: true);
        Log.ConfigReloaded(logger, source.File!, snapshot.RevisionId);
        return true;
    }

    private void Fail(IReadOnlyList<string> problems)
    {
        state.Failed(time.GetUtcNow(), problems);
        metrics.RecordReload(success: false);
        Log.ConfigReloadFailed(logger, source.File!, problems.Count, string.Join(Environment.NewLine + "  ", problems));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Config {ConfigFile} reloaded: revision {RevisionId}")]
        public static partial void ConfigReloaded(ILogger logger, string configFile, string revisionId);

        [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Config {ConfigFile} not applied, the previous config keeps serving; {ProblemCount} problem(s):\n  {Problems}")]
        public static partial void ConfigReloadFailed(ILogger logger, string configFile, int problemCount, string problems);

        [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Config {ConfigFile} cannot be read, retrying: {Reason}")]
        public static partial void ConfigUnreadable(ILogger logger, string configFile, string reason);
    }
}
