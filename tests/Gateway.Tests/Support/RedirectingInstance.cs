using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Support;

/// <summary>An instance that answers every request with a redirect to one location.</summary>
internal sealed class RedirectingInstance : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RedirectingInstance(WebApplication app) => _app = app;

    public string Url => _app.Urls.First();

    public static async Task<RedirectingInstance> StartAsync(string location)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(context =>
        {
            context.Response.Redirect(location);
            return Task.CompletedTask;
        });
        await app.StartAsync();
        return new RedirectingInstance(app);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
