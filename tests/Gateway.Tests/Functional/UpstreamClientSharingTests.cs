using System.Net;
using System.Text.Json.Nodes;
using Gateway.Tests.Support;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Gateway.Tests.Functional;

/// <summary>
/// Clusters of the same backend share its connections. YARP gives every cluster its own HttpClient, so a config of
/// many routes, each with its own cluster of the same services, opened a connection per cluster and kept it idle for a
/// minute: 10,000 such clusters held 20,000 descriptors after one request each, and the process ran out of them.
/// </summary>
public sealed class UpstreamClientSharingTests
{
    private const int Clusters = 200;

    [Fact]
    public async Task ManyClustersOfOneBackend_RequestsOneAfterAnother_ShareItsConnections()
    {
        await using var backend = await ConnectionCountingBackend.StartAsync();
        var config = new GatewayConfigBuilder();
        for (var i = 0; i < Clusters; i++)
        {
            config.Route("r" + i).Destination("r" + i, "b", backend.Url);
        }

        await using var gateway = await TestGateway.StartAsync(config);

        for (var i = 0; i < Clusters; i++)
        {
            (await gateway.Client.GetAsync("/r" + i + "/x")).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        backend.Connections.Should().BeLessThanOrEqualTo(2);
    }

    [Fact]
    public async Task ClustersWithOtherHttpClientSettings_KeepTheirOwnConnections()
    {
        await using var backend = await ConnectionCountingBackend.StartAsync();
        var config = new GatewayConfigBuilder()
            .Route("plain").Destination("plain", "b", backend.Url)
            .Route("capped").Destination("capped", "b", backend.Url)
            .Cluster("capped", new JsonObject { ["HttpClient"] = new JsonObject { ["MaxConnectionsPerServer"] = 1 } });
        await using var gateway = await TestGateway.StartAsync(config);

        (await gateway.Client.GetAsync("/plain/x")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await gateway.Client.GetAsync("/capped/x")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await gateway.Client.GetAsync("/plain/y")).StatusCode.Should().Be(HttpStatusCode.OK);

        backend.Connections.Should().Be(2);
    }

    /// <summary>
    /// A shared client outlives any one cluster: a reload that gives one cluster its own settings and removes another
    /// leaves the rest on the pool they had (no client disposed under them, none collected while in use), and a
    /// cluster whose settings are equal again rejoins that pool.
    /// </summary>
    [Fact]
    public async Task Reload_OneClusterChangesSettingsAndAnotherIsRemoved_TheOthersKeepTheSharedPool()
    {
        await using var backend = await ConnectionCountingBackend.StartAsync();
        string Config(JsonObject? aSettings, bool withC)
        {
            var config = new GatewayConfigBuilder().Set("ConfigReload:PollIntervalMilliseconds", 20)
                .Route("a").Destination("a", "b", backend.Url).Route("b").Destination("b", "b", backend.Url);
            if (aSettings is not null)
            {
                config.Cluster("a", aSettings);
            }

            return (withC ? config.Route("c").Destination("c", "b", backend.Url) : config).ToJson();
        }

        using var directory = new ConfigDirectory(Config(null, withC: true), mounted: false);
        await using var gateway = await TestGateway.StartFromFileAsync(directory.File);
        foreach (var path in new[] { "/a/1", "/b/1", "/c/1" })
        {
            (await gateway.Client.GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        var shared = backend.Connections;
        directory.Rewrite(Config(new JsonObject { ["HttpClient"] = new JsonObject { ["MaxConnectionsPerServer"] = 1 } }, withC: false));
        await Eventually.ValueAsync(() => gateway.Client.GetAsync("/c/2"), response => response.StatusCode == HttpStatusCode.NotFound);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var b = await gateway.Client.GetAsync("/b/2");
        var a = await gateway.Client.GetAsync("/a/2");
        var afterChange = backend.Connections;

        directory.Rewrite(Config(null, withC: false));
        await Eventually.ValueAsync(
            async () => PrometheusText.Parse(await gateway.Admin.GetStringAsync("/metrics")).Sum("gateway_config_reloads_total", ("result", "success")),
            reloads => reloads >= 2);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var aAgain = await gateway.Client.GetAsync("/a/3");

        b.StatusCode.Should().Be(HttpStatusCode.OK);
        a.StatusCode.Should().Be(HttpStatusCode.OK);
        aAgain.StatusCode.Should().Be(HttpStatusCode.OK);
        shared.Should().BeLessThanOrEqualTo(2);
        afterChange.Should().Be(shared + 1, "b kept the shared connection, a opened its own");
        backend.Connections.Should().Be(afterChange, "a, with equal settings again, rejoined the shared pool");
    }

    /// <summary>A backend answering 200 that counts the connections made to it.</summary>
    private sealed class ConnectionCountingBackend : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private int _connections;

        private ConnectionCountingBackend(WebApplication app) => _app = app;

        public string Url { get; private set; } = "";

        public int Connections => Volatile.Read(ref _connections);

        public static async Task<ConnectionCountingBackend> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            ConnectionCountingBackend? backend = null;
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Use(next => connection =>
            {
                Interlocked.Increment(ref backend!._connections);
                return next(connection);
            })));
            var app = builder.Build();
            backend = new ConnectionCountingBackend(app);
            app.Run(context => context.Response.WriteAsync("ok"));
            await app.StartAsync();
            backend.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/";
            return backend;
        }

        public ValueTask DisposeAsync() => _app.DisposeAsync();
    }
}
