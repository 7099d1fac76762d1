using System.Buffers;
using Microsoft.Win32.SafeHandles;
using Gateway.Host.Config;
using Gateway.Host.Diagnostics;
using Gateway.Routing.Config;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Host.Reload;

/// <summary>
/// Watches the <c>--config</c> file: file-system events on its directory poke a check within 50 ms, and a poll every
/// <c>ConfigReload:PollIntervalMilliseconds</c> catches what events miss (a Kubernetes ConfigMap's symlink swap is
/// seen either way). A check opens the file (following symlinks) and compares its size and modification time with the
/// last check's; only when they differ, when the file was written in the last seconds (file-system clocks tick
/// coarsely, so two writes can share a timestamp) or every <see cref="FullCheckEvery"/> checks is it read and
/// compared with the content last read, so a large config is not read four times a second. A changed file is validated
/// and compiled on the side; only a config without problems is applied (lane snapshot and YARP routes together),
/// otherwise the last good one keeps serving. Every failure is caught, logged and counted: the watcher never stops.
/// </summary>
internal sealed partial class ConfigFileWatcher(
    GatewayConfigSource source,
    ValidatedConfigurationProvider configuration,
    LiveProxyConfigProvider proxy,
    IConfigValidator validator,
    GatewaySnapshotSource snapshots,
    ConfigState state,
    HostMetrics metrics,
    TimeProvider time,
    IConfiguration settings,
    ILogger<ConfigFileWatcher> logger) : BackgroundService
{
    public const int DefaultPollIntervalMilliseconds = 250;

    /// <summary>Every this many polls the file is read and compared even when its size and time are unchanged.</summary>
    public const int FullCheckEvery = 40;

    /// <summary>After a file-system event, how long the directory must stay quiet before the file is read.</summary>
    private static readonly TimeSpan SettleTime = TimeSpan.FromMilliseconds(50);

    /// <summary>A file written more recently than this is read and compared on every poll: a second write may keep its timestamp.</summary>
    private static readonly TimeSpan RacyWindow = TimeSpan.FromSeconds(2);

    /// <summary>The content last read (applied or not); the applied config's JSON document holds the same bytes.</summary>
    private byte[] _lastContent = [];
    private (long Length, DateTime LastWrite) _lastStamp;
    private int _pollsSinceRead;

    private CompiledConfig? _applied;

    /// <summary>The config that serves, as this watcher compiled or was given it.</summary>
    internal CompiledConfig? Applied => _applied;

    /// <summary>Records the config the gateway started with: an unchanged file is not reloaded, and a changed one reuses what it can.</summary>
    /// <param name="content">The file's content, as read at start.</param>
    public void Started(byte[] content, CompiledConfig compiled)
    {
        _lastContent = content;
        _applied = compiled;
    }

    /// <summary>
    /// Watches on a thread of its own, not a thread-pool worker: a reload of a large config keeps its thread busy for
    /// a few hundred milliseconds (YARP rebuilds its routing table inside <see cref="Poll"/>), and on a two-core
    /// machine the pool has two workers, so a reload on one of them halved the gateway's throughput until it ended.
    /// </summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Watch(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Watch(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMilliseconds(settings.GetValue("ConfigReload:PollIntervalMilliseconds", DefaultPollIntervalMilliseconds));
        using var poke = new SemaphoreSlim(0);
        using var events = WatchDirectory(poke);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (poke.Wait(interval, stoppingToken))
                {
                    // A file-system event: let a burst of writes settle, so a file still being written is not read half-way.
                    while (poke.Wait(SettleTime, stoppingToken))
                    {
                    }
                }

                Poll();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
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
        var started = time.GetTimestamp();
        var pausedBefore = GC.GetTotalPauseDuration();
        byte[]? content;
        try
        {
            content = ReadIfChanged();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A missing file mid-swap is retried on the next tick without counting it as a failed reload.
            Log.ConfigUnreadable(logger, source.File!, ex.Message);
            return false;
        }

        if (content is null)
        {
            return false;
        }

        if (content.AsSpan().SequenceEqual(_lastContent))
        {
            return false;
        }

        _lastContent = content;
        var problems = new List<ConfigProblem>();
        var loaded = GatewayConfigLoader.Parse(content, source.Description, problems);
        var compiled = loaded is null ? null : GatewayConfigLoader.Compile(loaded, source.BaseDirectory, problems, _applied, validator);
        if (compiled is null)
        {
            loaded?.Release();
            Fail([.. problems.Select(p => p.ToString())]);
            return false;
        }

        var compileTime = time.GetElapsedTime(started);
        var routesChanged = proxy.Replace(compiled.Proxy);
        snapshots.Publish(compiled.Snapshot);
        configuration.Replace(compiled.Tree);
        var replaced = _applied;
        _applied = compiled;

        // The replaced config's tree was only kept to compare the next config with; the new one takes that role.
        replaced?.Tree.Release();

        var applyTime = time.GetElapsedTime(started);
        state.Applied(compiled.Snapshot.RevisionId, time.GetUtcNow(), content);
        metrics.RecordReload(success: true);
        metrics.RecordReloadDuration(applyTime);
        Log.ConfigReloaded(logger, source.File!, compiled.Snapshot.RevisionId, (long)applyTime.TotalMilliseconds, (long)compileTime.TotalMilliseconds,
            routesChanged, compiled.ReusedGroups, (long)(GC.GetTotalPauseDuration() - pausedBefore).TotalMilliseconds);
        return true;
    }

    /// <summary>
    /// Pokes the poll loop when anything in the config's directory changes (an editor's write, a rename, Kubernetes'
    /// symlink swap), so a change is usually read within <see cref="SettleTime"/> rather than up to a poll interval
    /// later. Events are only a hint: polling stays, since events can be missed or unavailable (inotify limits).
    /// </summary>
    private FileSystemWatcher? WatchDirectory(SemaphoreSlim poke)
    {
        try
        {
            var watcher = new FileSystemWatcher(Path.GetDirectoryName(source.File!)!)
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
            };
            FileSystemEventHandler changed = (_, _) => poke.Release();
            watcher.Changed += changed;
            watcher.Created += changed;
            watcher.Deleted += changed;
            watcher.Renamed += (_, _) => poke.Release();
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException)
        {
            Log.EventsUnavailable(logger, source.File!, ex.Message);
            return null;
        }
    }

    /// <summary>The file's content, or null when its size and time show it unchanged, or a comparison with the content last read does.</summary>
    private byte[]? ReadIfChanged()
    {
        using var handle = File.OpenHandle(source.File!);
        var stamp = (Length: RandomAccess.GetLength(handle), LastWrite: File.GetLastWriteTimeUtc(handle));
        var settled = DateTime.UtcNow - stamp.LastWrite > RacyWindow;
        var sameStamp = stamp == _lastStamp;
        if (sameStamp && settled && ++_pollsSinceRead < FullCheckEvery)
        {
            return null;
        }

        _lastStamp = stamp;
        _pollsSinceRead = 0;

        // Same size and time, looked at only because the file is young or for the periodic check: nearly always the
        // content last read. Compared through a small pooled buffer, so a 5 MB config read eight times in the seconds
        // after a reload leaves no large-object garbage while traffic recovers, and costs a memory comparison, not a
        // SHA-256 of the whole file (8 ms for 4.4 MB) every 250 ms.
        if (sameStamp && SameContent(handle, _lastContent))
        {
            return null;
        }

        var content = new byte[stamp.Length];
        var read = 0;
        while (read < content.Length && RandomAccess.Read(handle, content.AsSpan(read), read) is var count and > 0)
        {
            read += count;
        }

        return read == content.Length ? content : content[..read];
    }

    private static bool SameContent(SafeFileHandle handle, byte[] expected)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            var offset = 0;
            while (RandomAccess.Read(handle, buffer, offset) is var count and > 0)
            {
                if (count > expected.Length - offset || !buffer.AsSpan(0, count).SequenceEqual(expected.AsSpan(offset, count)))
                {
                    return false;
                }

                offset += count;
            }

            return offset == expected.Length;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Fail(IReadOnlyList<string> problems)
    {
        state.Failed(time.GetUtcNow(), problems);
        metrics.RecordReload(success: false);
        Log.ConfigReloadFailed(logger, source.File!, problems.Count, string.Join(Environment.NewLine + "  ", problems));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Config {ConfigFile} reloaded: revision {RevisionId} serving after {ApplyMilliseconds} ms ({CompileMilliseconds} ms to read, validate and compile; routes and clusters changed: {RoutesChanged}; unchanged lane groups reused: {ReusedGroups}; garbage collection paused the process {GcPauseMilliseconds} ms meanwhile)")]
        public static partial void ConfigReloaded(ILogger logger, string configFile, string revisionId, long applyMilliseconds, long compileMilliseconds, bool routesChanged, int reusedGroups, long gcPauseMilliseconds);

        [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Config {ConfigFile} not applied, the previous config keeps serving; {ProblemCount} problem(s):\n  {Problems}")]
        public static partial void ConfigReloadFailed(ILogger logger, string configFile, int problemCount, string problems);

        [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Config {ConfigFile}: no file-system events ({Reason}); changes are seen by polling only")]
        public static partial void EventsUnavailable(ILogger logger, string configFile, string reason);

        [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Config {ConfigFile} cannot be read, retrying: {Reason}")]
        public static partial void ConfigUnreadable(ILogger logger, string configFile, string reason);
    }
}
