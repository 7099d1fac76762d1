using System.Net;
using System.Net.Sockets;
using Gateway.Host.Demo;

namespace Gateway.Tests.Support;

/// <summary>Echo backends of one service, one per lane (<c>base</c> = baseline), on loopback ports.</summary>
internal sealed class BackendSet : IAsyncDisposable
{
    private readonly Dictionary<string, EchoBackend> _byLane;

    private BackendSet(string service, Dictionary<string, EchoBackend> byLane)
    {
        Service = service;
        _byLane = byLane;
    }

    public string Service { get; }

    public EchoBackend this[string lane] => _byLane[lane];

    public static async Task<BackendSet> StartAsync(string service, params string[] lanes)
    {
        var byLane = new Dictionary<string, EchoBackend>();
        foreach (var lane in lanes)
        {
            byLane[lane] = await EchoBackend.StartAsync(service, lane, service + "-" + lane + "-1");
        }

        return new BackendSet(service, byLane);
    }

    /// <summary>Adds a route and cluster named after the service, with one destination per backend.</summary>
    public GatewayConfigBuilder AddTo(GatewayConfigBuilder config, string? path = null)
    {
        config.Route(Service, path);
        foreach (var backend in _byLane.Values)
        {
            config.Destination(Service, backend);
        }

        return config;
    }

    /// <summary>An address on which nothing listens: connections to it are refused.</summary>
    public static string DeadAddress()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return "http://127.0.0.1:" + port + "/";
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var backend in _byLane.Values)
        {
            await backend.DisposeAsync();
        }
    }
}
