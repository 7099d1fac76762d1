using Gateway.Host.Config;
using Gateway.Host.Diagnostics;
using Gateway.Host.Hosting;
using Gateway.Routing.Config;

namespace Gateway.Host.Reload;

/// <summary>
/// Watches the <c>--config</c> file: file-system events on its directory poke a check within 50 ms, and a poll every
/// <c>ConfigReload:PollIntervalMilliseconds</c> catches what events miss (a Kubernetes ConfigMap's symlink swap is
/// seen either way). A changed file (<see cref="ChangedFile"/>) is validated and compiled on the side; only a config
/// without problems is applied (lane snapshot and YARP routes together), otherwise the last good one keeps serving.
/// Every failure is caught, logged and counted: the watcher never stops.
/// </summary>
internal sealed partial class ConfigFileWatcher(
    GatewayConfigSource source,
    ValidatedConfigurationProvider configuration,
    LiveProxyConfigProvider proxy,
    GatewaySnapshotSource snapshots,
    ConfigState state,
    HostMetrics metrics,
    TimeProvider time,
    IConfiguration settings,
    IServiceProvider services,
    ILogger<ConfigFileWatcher> logger) : BackgroundService
{
    /// <summary>After a file-system event, how long the directory must stay quiet before the file is read.</summary>
    private static readonly TimeSpan SettleTime = TimeSpan.FromMilliseconds(50);

    /// <summary>Longest wait for quiet after an event: a log written beside the config, say, keeps the directory busy for good.</summary>
    private static readonly TimeSpan MaxSettleTime = TimeSpan.FromSeconds(1);

    /// <summary>A change that does not parse is read again this much later: <c>cat &gt; file</c> and many editors truncate the file, then write it.</summary>
    private static readonly TimeSpan ReparseDelay = TimeSpan.FromSeconds(1);

    private readonly ChangedFile _file = new(source.File!);

    /// <summary>Why the file could not be read at the last check, or null; each such state is logged once, and its end once.</summary>
    private string? _unreadable;

    /// <summary>The config that serves, as this watcher compiled or was given it.</summary>
    internal CompiledConfig? Applied { get; private set; }

    /// <summary>Records the config the gateway started with: an unchanged file is not reloaded, and a changed one reuses what it can.</summary>
    /// <param name="content">The file's content, as read at start.</param>
    public void Started(byte[] content, CompiledConfig compiled) => (_file.Content, Applied) = (content, compiled);

    /// <summary>
    /// Watches on a thread of its own, not a thread-pool worker: a reload of a large config keeps its thread busy for
    /// a few hundred milliseconds (YARP rebuilds its routing table inside <see cref="Poll"/>), and on a two-core
    /// machine a reload on one of the pool's few workers slows request handling until it ends.
    /// </summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Watch(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Watch(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMilliseconds(settings.GetSection("ConfigReload").Get<ConfigReloadOptions>()?.PollIntervalMilliseconds ?? ConfigReloadOptions.DefaultPollIntervalMilliseconds);
        using var poke = new SemaphoreSlim(0);
        using var events = WatchDirectory(poke);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (poke.Wait(interval, stoppingToken))
                {
                    // A file-system event: let a burst of writes settle, so a file still being written is not read
                    // half-way; for a while at most, as a directory that is never quiet would hold every change back.
                    var firstEvent = time.GetTimestamp();
                    while (time.GetElapsedTime(firstEvent) < MaxSettleTime && poke.Wait(SettleTime, stoppingToken))
                    {
                    }
                }

                Poll(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Whatever went wrong, keep watching: a reload path that stops ends hot reload for good.
                Fail([UrlCredentials.Redact("unexpected error: " + ex.Message)]);
            }
        }
    }

    /// <summary>Checks the file once; returns true when a new config was applied.</summary>
    public bool Poll(CancellationToken cancellation = default)
    {
        var started = time.GetTimestamp();
        var pausedBefore = GC.GetTotalPauseDuration();
        if (Read(force: false) is not { } content)
        {
            return false;
        }

        var problems = new List<ConfigProblem>();
        var loaded = ConfigDocument.Parse(content, source.Description, problems);
        if (loaded is null && !cancellation.WaitHandle.WaitOne(ReparseDelay) && Read(force: true) is { } rewritten)
        {
            // Read half-written, and written since: only the finished file counts.
            problems.Clear();
            loaded = ConfigDocument.Parse(content = rewritten, source.Description, problems);
        }

        var compiled = loaded is null ? null : GatewayConfigLoader.Compile(loaded, source.BaseDirectory, problems, Applied);
        if (compiled is not null && HostRefuses(compiled) is { } refused)
        {
            problems.Add(refused);
            compiled = null;
        }

        if (compiled is null)
        {
            loaded?.Release();
            Fail([.. problems.Select(p => p.ToString())]);
            return false;
        }

        var compileTime = time.GetElapsedTime(started);
        var routesChanged = proxy.Replace(compiled.Proxy);
        snapshots.Publish(compiled.Snapshot);
        configuration.Replace(compiled.Settings);
        var replaced = Applied;
        Applied = compiled;

        // The replaced config's document was only kept to compare the next config with; the new one takes that role.
        replaced?.Document.Release();

        var applyTime = time.GetElapsedTime(started);
        state.Applied(compiled.Snapshot.RevisionId, time.GetUtcNow(), content);
        metrics.RecordReload(success: true);
        metrics.RecordReloadDuration(applyTime);
        Log.ConfigReloaded(logger, source.File!, compiled.Snapshot.RevisionId, (long)applyTime.TotalMilliseconds, (long)compileTime.TotalMilliseconds,
            routesChanged, compiled.ReusedGroups, (long)(GC.GetTotalPauseDuration() - pausedBefore).TotalMilliseconds);
        return true;
    }

    /// <summary>
    /// Why the running host would refuse a changed section, checked as the start checks it. Kestrel reloads its
    /// endpoints and certificates itself: one it could not load was only logged, while the reload counted as applied.
    /// The logger is not rebuilt: a Serilog section Serilog refuses stopped the next start, every restarted pod's,
    /// long after the edit.
    /// </summary>
    private ConfigProblem? HostRefuses(CompiledConfig compiled)
    {
        var serilog = !ConfigJson.SameText(compiled.File.Serilog, Applied?.File.Serilog ?? default);
        var kestrel = !ConfigJson.SameText(compiled.File.Kestrel, Applied?.File.Kestrel ?? default);
        if (!serilog && !kestrel)
        {
            return null;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(compiled.Settings).Build();
        if (serilog && GatewayLogging.SectionProblem(configuration) is { } logging)
        {
            return new ConfigProblem("Serilog", logging + " (the next start would refuse it)");
        }

        return kestrel && KestrelEndpointFailure.Check(configuration, services) is { } endpoints ? new ConfigProblem("Kestrel", endpoints) : null;
    }

    /// <summary>
    /// The file's content when it changed, else null. A missing file (mid-swap, or deleted) is logged once, not
    /// counted; a path that is not a regular file within the size limit is a failed reload, counted once; the file
    /// readable again is logged once.
    /// </summary>
    private byte[]? Read(bool force)
    {
        try
        {
            var content = _file.ReadIfChanged(force);
            if (_unreadable is not null)
            {
                _unreadable = null;
                Log.ConfigReadable(logger, source.File!);
            }

            return content;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var missing = ex is FileNotFoundException or DirectoryNotFoundException;
            var reason = missing ? "missing" : ex.Message;
            if (reason != _unreadable)
            {
                _unreadable = reason;
                if (missing)
                {
                    Log.ConfigUnreadable(logger, source.File!, ex.Message);
                }
                else
                {
                    // Whatever the path holds now is not the content last read: a later valid file is applied.
                    _file.Content = [];
                    Fail([source.Description + ": " + ex.Message]);
                }
            }

            return null;
        }
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
            watcher.Changed += Poke;
            watcher.Created += Poke;
            watcher.Deleted += Poke;
            watcher.Renamed += Poke;
            watcher.EnableRaisingEvents = true;
            return watcher;

            void Poke(object sender, EventArgs e) => poke.Release();
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException)
        {
            Log.EventsUnavailable(logger, source.File!, ex.Message);
            return null;
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

        [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Config {ConfigFile} cannot be read, the previous config keeps serving until it can: {Reason}")]
        public static partial void ConfigUnreadable(ILogger logger, string configFile, string reason);

        [LoggerMessage(EventId = 3020, Level = LogLevel.Information, Message = "Config {ConfigFile} can be read again")]
        public static partial void ConfigReadable(ILogger logger, string configFile);
    }
}
