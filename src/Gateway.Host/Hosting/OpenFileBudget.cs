using System.Net;
using Gateway.Lanes.Upstream;
using Gateway.Routing.Config;
using Microsoft.AspNetCore.Connections;

namespace Gateway.Host.Hosting;

/// <summary>
/// Keeps the public listeners within the process's open-file limit. Each client connection is a file descriptor, and
/// so is each backend connection a request in flight holds; with all of them used, the admin listener could accept no
/// probe, the config file could not be read, and the runtime itself died ("Out of memory": it needs descriptors to
/// map executable memory). That took only idle connections, or a few HTTP/2 connections carrying 100 slow requests
/// each. So client connections on the public endpoints together, and proxied requests in flight, each get half of the
/// limit left after a reserve; past either, the connection is closed at once or the request answered 503. The admin
/// listener is never counted. One client may hold only its share of each (<see cref="OverloadOptions"/>): with the
/// budgets global, one address carrying slow streams made every route answer 503 to everyone else.
/// </summary>
internal sealed partial class OpenFileBudget : IProxyRequestBudget
{
    /// <summary>Descriptors kept for the admin listener, files, logs and the runtime (a quarter of a smaller limit).</summary>
    public const long Reserve = 1_000;

    private readonly GatewayListeners _listeners;
    private readonly GatewaySnapshotSource _snapshots;
    private readonly Counter _connections;
    private readonly Counter _requests;
    private readonly ClientShares? _clients;
    private readonly ClientShares? _connectionClients;

    public OpenFileBudget(long? openFiles, OverloadOptions overload, GatewayListeners listeners, GatewaySnapshotSource snapshots, ILogger<OpenFileBudget> logger, TimeProvider time)
    {
        _listeners = listeners;
        _snapshots = snapshots;
        _connections = new(Half(openFiles), new RejectionCount(time), (limit, rejected) => Log.ConnectionsRejected(logger, limit, rejected));
        _requests = new(Half(openFiles), new RejectionCount(time), (limit, rejected) => Log.RequestsRejected(logger, limit, rejected));
        _clients = overload.RequestCap(Half(openFiles)) is { } requests
            ? new ClientShares(requests, new RejectionCount(time), (client, cap, rejected) => Log.ClientRequestsRejected(logger, client, cap, rejected))
            : null;
        _connectionClients = overload.ConnectionCap(Half(openFiles)) is { } connections
            ? new ClientShares(connections, new RejectionCount(time), (client, cap, rejected) => Log.ClientConnectionsRejected(logger, client, cap, rejected))
            : null;
    }

    /// <summary>The budget of this process (its open-file limit from <c>/proc/self/limits</c>), with the configured share per client.</summary>
    public static OpenFileBudget Create(IServiceProvider services, long? openFiles) =>
        new(openFiles, services.GetRequiredService<OverloadOptions>(), services.GetRequiredService<GatewayListeners>(),
            services.GetRequiredService<GatewaySnapshotSource>(), services.GetRequiredService<ILogger<OpenFileBudget>>(), TimeProvider.System);

    /// <summary>Client connections the public endpoints may hold together, and proxied requests in flight; null: no limit.</summary>
    public long? Limit => _connections.Limit;

    /// <summary>Connections closed at once since start, for <c>gateway_overload_rejections_total</c>.</summary>
    public long ConnectionsRejected => _connections.Rejected;

    /// <summary>Requests answered 503 <c>gateway_overloaded</c> since start.</summary>
    public long RequestsRejected => _requests.Rejected;

    /// <summary>Requests answered 503 <c>client_overloaded</c> since start: their client held its share.</summary>
    public long ClientRequestsRejected => _clients?.Rejected ?? 0;

    /// <summary>Proxied requests one client may have in flight; null: no cap.</summary>
    public long? ClientCap => _clients?.Cap;

    /// <summary>Connections closed at once since start because their client address held its share.</summary>
    public long ClientConnectionsRejected => _connectionClients?.Rejected ?? 0;

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

    /// <summary>Kestrel connection middleware: counts the connections of every endpoint but the admin listener's, in total and per client address.</summary>
    public ConnectionDelegate Wrap(ConnectionDelegate next) => connection =>
        (_connections.Limit is null && _connectionClients is null) || _listeners.IsAdmin(connection.LocalEndPoint) ? next(connection) : CountedAsync(connection, next);

    /// <summary>
    /// Takes a place for a proxied request, first in its client's share (the client address as the lane rules resolve
    /// it: the socket peer, or the X-Forwarded-For hop a trusted proxy names), then in the total; a warning at most every
    /// 30 s for each kind of refusal.
    /// </summary>
    public ProxyRequestPlace TryEnter(HttpContext context)
    {
        var slot = -1;
        var client = _clients is null ? null : ClientOf(context);
        if (_clients is not null && !_clients.TryEnter(client, out slot))
        {
            return new ProxyRequestPlace(ProxyRequestRefusal.ClientOverloaded);
        }

        if (!_requests.TryEnter())
        {
            _clients?.Exit(slot);
            return new ProxyRequestPlace(ProxyRequestRefusal.Overloaded);
        }

        return new ProxyRequestPlace(ProxyRequestRefusal.None, slot);
    }

    public void Exit(ProxyRequestPlace place)
    {
        _requests.Exit();
        _clients?.Exit(place.ClientSlot);
    }

    /// <summary>
    /// The client as the lane rules see it. Without trusted proxies that is the socket peer, taken as it is: the slots
    /// read an IPv4 address mapped to IPv6 (an IPv4 client of a dual-stack listener) as the IPv4 one, where turning it
    /// into one would cost every such request an allocation. With them, the X-Forwarded-For walk is kept for the
    /// request, and the lane rules take its answer instead of walking again.
    /// </summary>
    private IPAddress? ClientOf(HttpContext context)
    {
        var clients = _snapshots.Current.Clients;
        return clients.HasTrustedProxies ? clients.ResolveAndKeepAddress(context) : context.Connection.RemoteIpAddress;
    }

    private async Task CountedAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var slot = -1;
        var peer = _connectionClients is null ? null : CountedPeer(connection);
        if (_connectionClients is not null && !_connectionClients.TryEnter(peer, out slot))
        {
            return;
        }

        if (!_connections.TryEnter())
        {
            _connectionClients?.Exit(slot);
            return;
        }

        try
        {
            await next(connection);
        }
        finally
        {
            _connections.Exit();
            _connectionClients?.Exit(slot);
        }
    }

    /// <summary>The connection's peer address, or null (not counted per client) for a trusted proxy, which carries many clients.</summary>
    private IPAddress? CountedPeer(ConnectionContext connection)
    {
        if (connection.RemoteEndPoint is not IPEndPoint { Address: var peer })
        {
            return null;
        }

        var clients = _snapshots.Current.Clients;
        return clients.HasTrustedProxies && clients.IsTrustedProxy(peer) ? null : peer;
    }

    /// <summary>A count against a limit, and its rejections, which <paramref name="warn"/> writes with the limit when a warning is due.</summary>
    private sealed class Counter(long? limit, RejectionCount rejections, Action<long, long> warn)
    {
        private long _open;

        public long? Limit => limit;

        public long Rejected => rejections.Total;

        public bool TryEnter()
        {
            if (limit is null || Interlocked.Increment(ref _open) <= limit)
            {
                return true;
            }

            Interlocked.Decrement(ref _open);
            if (rejections.Add() is { } rejected)
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
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3030, Level = LogLevel.Warning,
            Message = "The public listeners hold {Limit} connections, the most the open-file limit leaves room for; closed {Rejected} new connection(s) at once (at most one such line per 30 s)")]
        public static partial void ConnectionsRejected(ILogger logger, long limit, long rejected);

        [LoggerMessage(EventId = 3031, Level = LogLevel.Warning,
            Message = "{Limit} proxied requests are in flight, the most the open-file limit leaves room for their backend connections; answered {Rejected} new request(s) 503 (at most one such line per 30 s)")]
        public static partial void RequestsRejected(ILogger logger, long limit, long rejected);

        [LoggerMessage(EventId = 3032, Level = LogLevel.Warning,
            Message = "Client {ClientAddress} holds {Limit} proxied requests in flight, the most one client may (Overload:RequestsPerClient); answered {Rejected} request(s) of clients at their share 503 (at most one such line per 30 s)")]
        public static partial void ClientRequestsRejected(ILogger logger, IPAddress clientAddress, long limit, long rejected);

        [LoggerMessage(EventId = 3033, Level = LogLevel.Warning,
            Message = "Client {ClientAddress} holds {Limit} public connections, the most one client address may (Overload:ConnectionsPerClient); closed {Rejected} new connection(s) of clients at their share at once (at most one such line per 30 s)")]
        public static partial void ClientConnectionsRejected(ILogger logger, IPAddress clientAddress, long limit, long rejected);
    }
}
