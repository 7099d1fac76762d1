using System.Text.Json;
using Gateway.Routing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Gateway.Host.Demo;

/// <summary>
/// A tiny real HTTP backend on a loopback port that answers every request with who it is and which lane tag it
/// received, and names its lane in <c>x-served-lane</c>. The demo runs four; the functional tests run their own.
/// </summary>
internal sealed class EchoBackend : IAsyncDisposable
{
    public const string ServedLaneHeader = LaneHeaders.ServedLane;

    private readonly WebApplication _app;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _paths = new();
    private int _requests;

    private EchoBackend(WebApplication app, string service, string lane, string instance)
    {
        _app = app;
        Service = service;
        Lane = lane;
        Instance = instance;
    }

    public string Service { get; }

    /// <summary>The backend's lane, <c>base</c> for a baseline instance.</summary>
    public string Lane { get; }

    public string Instance { get; }

    public string Url { get; private set; } = "";

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The paths of the requests received, when started with <c>recordPaths</c> (tests check nothing was smuggled).</summary>
    public IReadOnlyCollection<string> Paths => _paths;

    /// <summary>The status code it answers with; tests change it to make an instance fail or recover.</summary>
    public int Status { get; set; } = StatusCodes.Status200OK;

    /// <summary>Starts a backend; <paramref name="status"/> and <paramref name="reportedLane"/> let tests make it fail or misreport its lane.</summary>
    public static async Task<EchoBackend> StartAsync(
        string service, string lane, string instance, string tagHeader = LaneHeaders.Tag, int status = StatusCodes.Status200OK, string? reportedLane = null,
        string urls = "http://127.0.0.1:0", bool recordPaths = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(urls);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestHeadersTotalSize = 128 * 1024);
        var app = builder.Build();
        var backend = new EchoBackend(app, service, lane, instance) { Status = status };
        app.Run(context =>
        {
            Interlocked.Increment(ref backend._requests);
            if (recordPaths)
            {
                backend._paths.Enqueue(context.Request.Path + context.Request.QueryString);
            }

            context.Response.StatusCode = backend.Status;
            context.Response.Headers[ServedLaneHeader] = reportedLane ?? lane;
            context.Response.ContentType = "application/json";
            var reply = new EchoReply(service, lane, instance, context.Request.Headers[tagHeader].FirstOrDefault(), context.Request.Path + context.Request.QueryString);
            return context.Response.WriteAsync(JsonSerializer.Serialize(reply, EchoReply.JsonOptions));
        });
        await app.StartAsync();
        backend.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/";
        return backend;
    }

    /// <summary>
    /// The <c>echo</c> command: one backend in the foreground until stopped (the Kubernetes example app runs it).
    /// Options: <c>--service</c>, <c>--lane</c> (<c>base</c> for a baseline instance), <c>--instance</c>, <c>--urls</c>.
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new ConfigurationBuilder().AddCommandLine(args).Build();
        var service = options["service"] ?? "echo";
        var lane = options["lane"] ?? LaneNames.Baseline;
        await using var backend = await StartAsync(service, lane, options["instance"] ?? Environment.MachineName, urls: options["urls"] ?? "http://0.0.0.0:8080");
        Console.WriteLine("echo backend " + service + " lane " + lane + " listening on " + backend.Url);
        await backend._app.WaitForShutdownAsync();
        return 0;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
