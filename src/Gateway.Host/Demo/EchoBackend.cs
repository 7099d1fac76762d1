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
    /// The <c>echo</c> command: one demo service in the foreground until stopped (the Kubernetes example app runs it),
    /// built on Lanes.Propagation. Options: <c>--service</c>, <c>--lane</c> (<c>base</c> for a baseline instance),
    /// <c>--instance</c>, <c>--call SERVICE</c> (repeatable), and standard settings such as <c>--urls</c>,
    /// <c>--Services:payments:http:0=URL</c>, <c>--Services:payments:gray:0=URL</c> and <c>--Lanes:...</c>.
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var calls = new List<string>();
        var settings = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--call" && i + 1 < args.Length)
            {
                calls.Add(args[++i]);
            }
            else if (args[i].StartsWith("--call=", StringComparison.Ordinal))
            {
                calls.Add(args[i]["--call=".Length..]);
            }
            else
            {
                settings.Add(args[i]);
            }
        }

        var options = new ConfigurationBuilder().AddCommandLine([.. settings]).Build();
        var service = options["service"] ?? "echo";
        var lane = options["lane"] ?? LaneNames.Baseline;
        if (options["urls"] is null)
        {
            settings.AddRange(["--urls", "http://0.0.0.0:8080"]);
        }

        await using var chain = await ChainService.StartAsync(service, lane, options["instance"] ?? Environment.MachineName, calls, [.. settings]);
        Console.WriteLine("echo service " + service + " lane " + lane + " listening on " + chain.Url + (calls.Count == 0 ? "" : " calling " + string.Join(", ", calls)));
        await chain.WaitForShutdownAsync();
        return 0;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
