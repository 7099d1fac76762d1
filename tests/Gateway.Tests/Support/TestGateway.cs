using Gateway.Host.Config;
using Gateway.Host.Hosting;
using Gateway.Routing.Config;

namespace Gateway.Tests.Support;

/// <summary>The real gateway (Kestrel, YARP, lanes) on a loopback port, configured in memory.</summary>
internal sealed class TestGateway : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestGateway(WebApplication app, Uri address, Uri adminAddress)
    {
        _app = app;
        Address = address;
        AdminAddress = adminAddress;
        Client = new HttpClient { BaseAddress = address };
        Admin = new HttpClient { BaseAddress = adminAddress };
    }

    public Uri Address { get; }

    public Uri AdminAddress { get; }

    /// <summary>A client of the admin listener (metrics, health).</summary>
    public HttpClient Admin { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <param name="urls">The public listener; <c>http://*:0</c> listens dual-stack, IPv4 clients then arriving as <c>::ffff:a.b.c.d</c>.</param>
    public static Task<TestGateway> StartAsync(
        GatewayConfigBuilder config, string? baseDirectory = null, Action<WebApplicationBuilder>? configure = null, string urls = "http://127.0.0.1:0") =>
        StartAsync(GatewayConfigSource.FromJson(config.ToJson(), baseDirectory), configure, urls);

    /// <summary>Starts from a config file, which the gateway then watches for changes.</summary>
    public static Task<TestGateway> StartFromFileAsync(string file, Action<WebApplicationBuilder>? configure = null) =>
        StartAsync(GatewayConfigSource.FromFile(file), configure, "http://127.0.0.1:0");

    private static async Task<TestGateway> StartAsync(GatewayConfigSource source, Action<WebApplicationBuilder>? configure, string urls)
    {
        var problems = new List<ConfigProblem>();
        var app = GatewayApp.Build(
                source,
                ["--urls", urls, "--Admin:Urls", "http://127.0.0.1:0"],
                problems,
                builder =>
                {
                    // A Serilog section replaces the default console sink: with no sink in it, the gateway's events
                    // reach only the logger providers a test adds.
                    builder.Configuration["Serilog:Properties:Host"] = "Gateway.Tests";
                    builder.Logging.ClearProviders();
                    configure?.Invoke(builder);
                })
            ?? throw new InvalidOperationException("invalid test config: " + string.Join("; ", problems));
        await app.StartAsync();
        var listeners = app.Services.GetRequiredService<GatewayListeners>();
        // A listener on any address is reached on loopback.
        var address = new UriBuilder(listeners.PublicUrls.First()) { Host = "127.0.0.1" }.Uri;
        return new TestGateway(app, address, new Uri(listeners.AdminUrls.First()));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Admin.Dispose();
        await _app.DisposeAsync();
    }
}
