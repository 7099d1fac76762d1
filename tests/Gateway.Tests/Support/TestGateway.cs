using Gateway.Host.Config;
using Gateway.Host.Hosting;
using Gateway.Routing.Config;

namespace Gateway.Tests.Support;

/// <summary>The real gateway (Kestrel, YARP, lanes) on a loopback port, configured in memory.</summary>
internal sealed class TestGateway : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestGateway(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Client = new HttpClient { BaseAddress = address };
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<TestGateway> StartAsync(GatewayConfigBuilder config, string? baseDirectory = null)
    {
        var problems = new List<ConfigProblem>();
        var app = GatewayApp.Build(GatewayConfigSource.FromJson(config.ToJson(), baseDirectory), ["--urls", "http://127.0.0.1:0"], problems,
            builder => builder.Logging.ClearProviders())
            ?? throw new InvalidOperationException("invalid test config: " + string.Join("; ", problems));
        await app.StartAsync();
        return new TestGateway(app, new Uri(app.Urls.First()));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }
}
