using Microsoft.AspNetCore.Connections;

namespace Gateway.Host.Hosting;

/// <summary>
/// Caps the connections open on all public endpoints together, below the process's open-file limit. Each connection
/// is a file descriptor; a flood of idle connections once used them all, and then the admin listener could accept no
/// probe, the config file could not be read, every forwarded request failed to open its backend connection, and the
/// runtime itself died ("Out of memory": it needs descriptors to map executable memory). The admin listener is never
/// counted. A connection over the cap is closed at once, before TLS or any request; Kestrel's own
/// <c>Kestrel:Limits:MaxConcurrentConnections</c> (per endpoint) still applies on top.
/// </summary>
internal sealed partial class PublicConnectionLimit(long limit, GatewayListeners listeners, ILogger logger, TimeProvider time)
{
    /// <summary>Descriptors kept out of the budget for the admin listener, files, logs and the runtime.</summary>
    public const long Reserve = 1_000;

    private static readonly TimeSpan WarningInterval = TimeSpan.FromSeconds(30);

    private long _open;
    private long _rejected;
    private long _lastWarning;

    public long Limit => limit;

    /// <summary>
    /// Half of the open-file limit left after the reserve: the other half is for the backend connections the
    /// clients' requests need. Null when the limit is unknown (not Linux) or unlimited.
    /// </summary>
    public static long? FromOpenFileLimit(long? openFiles) =>
        openFiles is { } files ? Math.Max(1, (files - Math.Min(Reserve, files / 4)) / 2) : null;

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
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }

    public ConnectionDelegate Wrap(ConnectionDelegate next) => connection =>
        listeners.IsAdmin(connection.LocalEndPoint) ? next(connection) : CountedAsync(connection, next);

    private async Task CountedAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        if (Interlocked.Increment(ref _open) > limit)
        {
            Interlocked.Decrement(ref _open);
            Rejected();
            return;
        }

        try
        {
            await next(connection);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    /// <summary>One warning per interval at most, with the count since the last one: a flood must not flood the log.</summary>
    private void Rejected()
    {
        Interlocked.Increment(ref _rejected);
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref _lastWarning);
        if ((last == 0 || time.GetElapsedTime(last, now) >= WarningInterval) && Interlocked.CompareExchange(ref _lastWarning, now, last) == last)
        {
            Log.ConnectionsRejected(logger, limit, Interlocked.Exchange(ref _rejected, 0));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3030, Level = LogLevel.Warning,
            Message = "The public listeners hold {Limit} connections, the most the open-file limit leaves room for; closed {Rejected} new connection(s) at once (at most one such line per 30 s)")]
        public static partial void ConnectionsRejected(ILogger logger, long limit, long rejected);
    }
}
