using System.Globalization;
using Gateway.Host.Config;
using Gateway.Host.Demo;
using Gateway.Host.Explain;
using Gateway.Host.Hosting;
using Gateway.Routing.Config;

namespace Gateway.Host;

public static class Program
{
    /// <summary>Exit code for an invalid config (start or validate) and for bad command-line usage.</summary>
    public const int InvalidConfigExitCode = 2;

    /// <summary>Exit code when a listener cannot start: its address is in use or not permitted, or its TLS set-up fails.</summary>
    public const int ListenFailedExitCode = 3;

    /// <summary>Printed once the listeners are bound: <c>Lanes Gateway listening on http://... admin http://...</c>.</summary>
    public const string ListeningLinePrefix = "Lanes Gateway listening on ";

    public static Task<int> Main(string[] args) =>
        CommandLine.InvokeAsync(args, new CommandActions(RunAsync, Validate, ExplainCommand.Run, EchoAsync), Console.Out, Console.Error);

    private static async Task<int> EchoAsync(string[] args)
    {
        try
        {
            return await EchoBackend.RunAsync(args);
        }
        catch (Exception ex) when (ListenFailure.IsBindFailure(ex))
        {
            await Console.Error.WriteLineAsync("echo backend cannot start: " + ex.Message);
            return ListenFailedExitCode;
        }
    }

    private static async Task<int> RunAsync(string? configFile, string[] hostArgs)
    {
        await using var demo = configFile is null ? await DemoEnvironment.StartAsync() : null;
        var source = demo is null ? GatewayConfigSource.FromFile(configFile!) : GatewayConfigSource.FromJson(demo.ConfigJson);
        var problems = new List<ConfigProblem>();
        await using var app = GatewayApp.Build(source, hostArgs, problems);
        if (app is null)
        {
            ReportProblems(source, problems);
            return InvalidConfigExitCode;
        }

        var listeners = app.Services.GetRequiredService<GatewayListeners>();
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            // Kestrel's own endpoints (an https listener of Kestrel:Endpoints) serve proxied requests too: named last, with their setting.
            var kestrel = string.Join(", ", KestrelEndpointFailure.Addresses(app.Services));
            Console.WriteLine(ListeningLinePrefix + string.Join(' ', listeners.PublicUrls) + " admin " + string.Join(' ', listeners.AdminUrls)
                + (kestrel.Length == 0 ? "" : " and on " + kestrel));
            if (demo is not null)
            {
                Console.WriteLine(demo.Instructions(listeners.PublicUrls.First(), listeners.AdminUrls.First()));
            }
        });

        // Started and awaited apart (not RunAsync, which disposes the services as the start fails): describing a
        // failed TLS set-up runs Kestrel's loader again with them.
        try
        {
            await app.StartAsync();
        }
        catch (Exception ex) when (ListenFailure.Describe(ex, listeners, app.Services) is { } line)
        {
            await Console.Error.WriteLineAsync("Lanes Gateway cannot start: " + line);
            return ListenFailedExitCode;
        }

        await app.WaitForShutdownAsync();
        return 0;
    }

    private static int Validate(string file)
    {
        var source = GatewayConfigSource.FromFile(file);
        var problems = new List<ConfigProblem>();
        var document = GatewayConfigLoader.Load(source, problems);
        var snapshot = document is null ? null : GatewayConfigLoader.Compile(document, source.BaseDirectory, problems);
        if (snapshot is null)
        {
            ReportProblems(source, problems);
            return InvalidConfigExitCode;
        }

        Console.WriteLine(source.Description + ": valid (revision " + snapshot.RevisionId + ")");
        return 0;
    }

    internal static void ReportProblems(GatewayConfigSource source, List<ConfigProblem> problems)
    {
        var count = problems.Count > ConfigReader.MaxListed ? "more than " + ConfigReader.MaxListed.ToString("N0", CultureInfo.InvariantCulture) : problems.Count.ToString(CultureInfo.InvariantCulture);
        Console.Error.WriteLine(source.Description + ": " + count + (problems.Count == 1 ? " problem" : " problems"));
        foreach (var problem in problems)
        {
            Console.Error.WriteLine("  " + problem);
        }
    }
}
