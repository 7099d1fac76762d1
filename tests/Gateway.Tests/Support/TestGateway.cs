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

    public static Task<TestGateway> StartAsync(GatewayConfigBuilder config, string? baseDirectory = null, Action<WebApplicationBuilder>? configure = null) =>
        StartAsync(GatewayConfigSource.FromJson(config.ToJson(), baseDirectory), configure);

    /// <summary>Starts from a config file, which the gateway then watches for changes.</summary>
    public static Task<TestGateway> StartFromFileAsync(string file, Action<WebApplicationBuilder>? configure = null) =>
        StartAsync(GatewayConfigSource.FromFile(file), configure);

    private static async Task<TestGateway> StartAsync(GatewayConfigSource source, Action<WebApplicationBuilder>? configure)
    {
        var problems = new List<ConfigProblem>();
        var app = GatewayApp.Build(
                source,
                ["--urls", "http://127.0.0.1:0", "--Admin:Urls", "http://127.0.0.1:0"],
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
        return new TestGateway(app, new Uri(listeners.PublicUrls.First()), new Uri(listeners.AdminUrls.First()));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Admin.Dispose();
        await _app.DisposeAsync();
    }
}
