using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Support;

/// <summary>A backend that answers every request with the headers it received, one <c>name: value</c> per line, as sent.</summary>
internal sealed class HeaderEchoBackend : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HeaderEchoBackend(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    public static async Task<HeaderEchoBackend> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(context =>
        {
            var lines = new System.Text.StringBuilder();
            foreach (var (name, values) in context.Request.Headers)
            {
                foreach (var value in values)
                {
                    lines.Append(name).Append(": ").Append(value).Append('\n');
                }
            }

            return context.Response.WriteAsync(lines.ToString());
        });
        await app.StartAsync();
        var backend = new HeaderEchoBackend(app)
        {
            Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/",
        };
        return backend;
    }

    /// <summary>The header lines the backend received for one request.</summary>
    public static async Task<string[]> ReceivedAsync(HttpClient client, string path, params (string Name, string Value)[] headers)
    {
        using var response = await client.SendAsync(EchoClient.Get(path, headers));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
