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

    /// <summary>Exit code when a listener cannot bind its address (in use, or not permitted).</summary>
    public const int ListenFailedExitCode = 3;

    /// <summary>Printed once the listeners are bound: <c>Lanes Gateway listening on http://... admin http://...</c>.</summary>
    public const string ListeningLinePrefix = "Lanes Gateway listening on ";

    public static async Task<int> Main(string[] args)
    {
        var commandLine = CommandLine.Parse(args);
        if (commandLine.Error is not null)
        {
            await Console.Error.WriteLineAsync(commandLine.Error + Environment.NewLine + CommandLine.Usage);
            return InvalidConfigExitCode;
        }

        if (commandLine.Command == "validate")
        {
            return Validate(commandLine.ConfigFile!);
        }

        if (commandLine.Command == "explain")
        {
            return ExplainCommand.Run(commandLine.ConfigFile!, commandLine.HostArgs[0]);
        }

        if (commandLine.Command == "echo")
        {
            return await EchoBackend.RunAsync(commandLine.HostArgs);
        }

        await using var demo = commandLine.ConfigFile is null ? await DemoEnvironment.StartAsync() : null;
        var source = demo is null ? GatewayConfigSource.FromFile(commandLine.ConfigFile!) : GatewayConfigSource.FromJson(demo.ConfigJson);
        var problems = new List<ConfigProblem>();
        await using var app = GatewayApp.Build(source, commandLine.HostArgs, problems);
        if (app is null)
        {
            ReportProblems(source, problems);
            return InvalidConfigExitCode;
        }

        var listeners = app.Services.GetRequiredService<GatewayListeners>();
        var started = false;
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            started = true;
            Console.WriteLine(ListeningLinePrefix + string.Join(' ', listeners.PublicUrls) + " admin " + string.Join(' ', listeners.AdminUrls));
            if (demo is not null)
            {
                Console.WriteLine(demo.Instructions(listeners.PublicUrls.First()));
            }
        });

        try
        {
            await app.RunAsync();
        }
        catch (IOException ex) when (!started)
        {
            // Kestrel's "Failed to bind to address ...: address already in use." is the whole story; no stack trace.
            await Console.Error.WriteLineAsync("Lanes Gateway cannot start: " + ex.Message);
            return ListenFailedExitCode;
        }

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
        Console.Error.WriteLine(source.Description + ": " + problems.Count + (problems.Count == 1 ? " problem" : " problems"));
        foreach (var problem in problems)
        {
            Console.Error.WriteLine("  " + problem);
        }
    }
}
