using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Gateway.Tests.Support;

/// <summary>
/// A backend that answers 200 at once, except on paths ending in <c>/hang</c>: those it holds open without a byte of
/// response until the gateway gives up on them (counted in <see cref="Abandoned"/>).
/// </summary>
internal sealed class HangingBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _hanging;
    private int _abandoned;

    private HangingBackend(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    /// <summary>Hanging requests received so far.</summary>
    public int Hanging => Volatile.Read(ref _hanging);

    /// <summary>Hanging requests the gateway has cancelled.</summary>
    public int Abandoned => Volatile.Read(ref _abandoned);

    public static async Task<HangingBackend> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var backend = new HangingBackend(app);
        app.Run(async context =>
        {
            if (!context.Request.Path.Value!.EndsWith("/hang", StringComparison.Ordinal))
            {
                await context.Response.WriteAsync("ok");
                return;
            }

            Interlocked.Increment(ref backend._hanging);
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref backend._abandoned);
            }
        });
        await app.StartAsync();
        backend.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/";
        return backend;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
