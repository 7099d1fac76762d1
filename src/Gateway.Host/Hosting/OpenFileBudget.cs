using Gateway.Lanes.Upstream;
using Microsoft.AspNetCore.Connections;

namespace Gateway.Host.Hosting;

/// <summary>
/// Keeps the public listeners within the process's open-file limit. Each client connection is a file descriptor, and
/// so is each backend connection a request in flight holds; with all of them used, the admin listener could accept no
/// probe, the config file could not be read, and the runtime itself died ("Out of memory": it needs descriptors to
/// map executable memory). That took only idle connections, or a few HTTP/2 connections carrying 100 slow requests
/// each. So client connections on the public endpoints together, and proxied requests in flight, each get half of the
/// limit left after a reserve; past either, the connection is closed at once or the request answered 503. The admin
/// listener is never counted.
/// </summary>
internal sealed partial class OpenFileBudget(long? openFiles, GatewayListeners listeners, ILogger<OpenFileBudget> logger, TimeProvider time)
    : IProxyRequestBudget
{
    /// <summary>Descriptors kept for the admin listener, files, logs and the runtime (a quarter of a smaller limit).</summary>
    public const long Reserve = 1_000;

    private static readonly TimeSpan WarningInterval = TimeSpan.FromSeconds(30);

    private readonly Counter _connections = new(Half(openFiles), time, (limit, rejected) => Log.ConnectionsRejected(logger, limit, rejected));
    private readonly Counter _requests = new(Half(openFiles), time, (limit, rejected) => Log.RequestsRejected(logger, limit, rejected));

    /// <summary>Client connections the public endpoints may hold together, and proxied requests in flight; null: no limit.</summary>
    public long? Limit => _connections.Limit;

    /// <summary>Connections closed at once since start, for <c>gateway_overload_rejections_total</c>.</summary>
    public long ConnectionsRejected => _connections.Rejected;

    /// <summary>Requests answered 503 <c>gateway_overloaded</c> since start.</summary>
    public long RequestsRejected => _requests.Rejected;

    /// <summary>Half of the open-file limit left after the reserve; null when the limit is unknown (not Linux).</summary>
    public static long? Half(long? openFiles) => openFiles is { } files ? Math.Max(1, (files - Math.Min(Reserve, files / 4)) / 2) : null;

    /// <summary>The soft limit on open files from <c>/proc/self/limits</c> (the runtime raised it to the hard limit at start).</summary>
    public static long? ReadOpenFileLimit(string path = "/proc/self/limits")
    {
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                if (line.StartsWith("Max open files", StringComparison.Ordinal))
                {
                    var soft = line["Max open files".Length..].TrimStart().Split(' ')[0];
                    return long.TryParse(soft, System.Globalization.CultureInfo.InvariantCulture, out var files) ? files : null;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        return null;
    }

    /// <summary>Kestrel connection middleware: counts the connections of every endpoint but the admin listener's.</summary>
    public ConnectionDelegate Wrap(ConnectionDelegate next) => connection =>
        _connections.Limit is null || listeners.IsAdmin(connection.LocalEndPoint) ? next(connection) : CountedAsync(connection, next);

    /// <summary>Takes a place for a proxied request; false (and a warning at most every 30 s) when none is left.</summary>
    public bool TryEnter() => _requests.TryEnter();

    public void Exit() => _requests.Exit();

    private async Task CountedAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        if (!_connections.TryEnter())
        {
            return;
        }

        try
        {
            await next(connection);
        }
        finally
        {
            _connections.Exit();
        }
    }

    /// <summary>
    /// A count against a limit, and the rejections since the last warning, which <paramref name="warn"/> writes with
    /// the limit at most once per interval (a flood must not flood the log).
    /// </summary>
    private sealed class Counter(long? limit, TimeProvider time, Action<long, long> warn)
    {
        private long _open;
        private long _rejected;
        private long _rejectedTotal;
        private long _lastWarning;

        public long? Limit => limit;

        public long Rejected => Interlocked.Read(ref _rejectedTotal);

        public bool TryEnter()
        {
            if (limit is null || Interlocked.Increment(ref _open) <= limit)
            {
                return true;
            }

            Interlocked.Decrement(ref _open);
            if (RejectedOnce() is { } rejected)
            {
                warn(limit.Value, rejected);
            }

            return false;
        }

        public void Exit()
        {
            if (limit is not null)
            {
                Interlocked.Decrement(ref _open);
            }
        }

        /// <summary>Counts a rejection; the number since the last warning when one is due now, else null.</summary>
        private long? RejectedOnce()
        {
            Interlocked.Increment(ref _rejectedTotal);
            Interlocked.Increment(ref _rejected);
            var now = time.GetTimestamp();
            var last = Interlocked.Read(ref _lastWarning);
            return (last == 0 || time.GetElapsedTime(last, now) >= WarningInterval) && Interlocked.CompareExchange(ref _lastWarning, now, last) == last
                ? Interlocked.Exchange(ref _rejected, 0)
                : null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3030, Level = LogLevel.Warning,
            Message = "The public listeners hold {Limit} connections, the most the open-file limit leaves room for; closed {Rejected} new connection(s) at once (at most one such line per 30 s)")]
        public static partial void ConnectionsRejected(ILogger logger, long limit, long rejected);

        [LoggerMessage(EventId = 3031, Level = LogLevel.Warning,
            Message = "{Limit} proxied requests are in flight, the most the open-file limit leaves room for their backend connections; answered {Rejected} new request(s) 503 (at most one such line per 30 s)")]
        public static partial void RequestsRejected(ILogger logger, long limit, long rejected);
    }
}
