using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;

namespace Gateway.Host.Hosting;

/// <summary>
/// The command line, on System.CommandLine: <c>[run]</c> (the default), <c>validate</c>, <c>explain</c> and <c>echo</c>,
/// each with <c>--help</c>. Usage errors print the problem and the command's usage and exit 2. Options <c>run</c> and
/// <c>echo</c> do not declare (<c>--Admin:Urls URL</c>, <c>--Section:Key=value</c>) pass through to the ASP.NET host.
/// </summary>
internal static class CommandLine
{
    // Response files (@file) would let a host option's value that starts with '@' read a file.
    private static readonly ParserConfiguration Parser = new() { ResponseFileTokenReplacer = null };

    public static async Task<int> InvokeAsync(string[] args, CommandActions actions, TextWriter output, TextWriter error)
    {
        var root = Build(args, actions);
        var result = root.Parse(args, Parser);
        var command = result.CommandResult.Command;
        var problems = new List<string>();
        if (result.Action is ParseErrorAction)
        {
            problems.AddRange(result.Errors.Select(e => e.Message));
        }
        else if (result.Action == command.Action)
        {
            HostArguments.Check(result, root, problems);
        }

        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                await error.WriteLineAsync(problem);
            }

            await error.WriteLineAsync();
            await root.Parse(command == root ? ["--help"] : [command.Name, "--help"], Parser).InvokeAsync(new InvocationConfiguration { Output = error });
            return Program.InvalidConfigExitCode;
        }

        // Gateway.Host handles SIGTERM itself (drain, then stop); System.CommandLine must not cut that short.
        return await result.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
    }

    private static RootCommand Build(string[] args, CommandActions actions)
    {
        var root = new RootCommand("""
            Lanes Gateway: an edge gateway that puts every request into a lane and sends it to that lane's instances.
            Without a command it runs the gateway (the embedded demo when there is no --config). Exit codes: 0 done,
            2 invalid config or usage, 3 a listener cannot start (its address or its TLS certificate).
            Any other --Section:Key VALUE (or --Section:Key=VALUE) sets a host setting, e.g. --Admin:Urls http://127.0.0.1:9902.
            """);
        var run = new Command("run", "Run the gateway (the default command).");
        foreach (var command in (Command[])[root, run])
        {
            var config = new Option<string>("--config", "-c") { Description = "The gateway config file (JSON), watched for changes. Without it: the embedded demo.", HelpName = "FILE" };
            var urls = new Option<string>("--urls") { Description = "Public listener addresses, ';'-separated; they override the config file's urls and ASPNETCORE_URLS [default: " + GatewayApp.DefaultUrls + "]. The admin listener is set by --Admin:Urls [default: " + GatewayApp.DefaultAdminUrls + "].", HelpName = "URLS" };
            config.Validators.Add(NotEmpty);
            command.Options.Add(config);
            command.Options.Add(urls);
            command.TreatUnmatchedTokensAsErrors = false;
            command.SetAction(result => actions.Run(result.GetValue(config), HostArguments.ForHost(result, urls)));
        }

        root.Subcommands.Add(run);
        root.Subcommands.Add(Validate(actions));
        root.Subcommands.Add(Explain(actions));
        root.Subcommands.Add(Echo(args, actions));
        return root;
    }

    private static Command Validate(CommandActions actions)
    {
        var file = new Argument<string>("FILE") { Description = "The config file to check.", Arity = ArgumentArity.ZeroOrOne };
        var config = new Option<string>("--config", "-c") { Description = "The config file, as an option (same as FILE).", HelpName = "FILE" };
        var command = new Command("validate", "Check a config file without starting the gateway. Exit 0 when valid, 2 with every problem listed.") { file, config };
        config.Validators.Add(NotEmpty);
        command.Validators.Add(result =>
        {
            if ((result.GetValue(file) is null) == (result.GetValue(config) is null))
            {
                result.AddError("validate needs one config file: validate FILE");
            }
            else if (result.GetValue(file) is "")
            {
                result.AddError(EmptyFileName);
            }
        });
        command.SetAction(result => actions.Validate(result.GetValue(file) ?? result.GetValue(config)!));
        return command;
    }

    private static Command Explain(CommandActions actions)
    {
        var file = new Argument<string>("FILE") { Description = "The config file." };
        var description = new Argument<string>("DESCRIPTION")
        {
            Description = "The request, as a query string: method=GET&path=/api/orders/1?x=1&host=shop.example"
                + "&header=NAME:VALUE (repeatable)&clientIp=1.2.3.4 (the socket peer). Quote it for the shell.",
        };
        var command = new Command("explain", "Explain how FILE's config routes a request (JSON on stdout; every destination is taken as healthy). Exit 0, or 2 for an invalid config or description.")
        {
            file,
            description,
        };
        file.Validators.Add(NotEmpty);
        command.SetAction(result => actions.Explain(result.GetValue(file)!, result.GetValue(description)!));
        return command;
    }

    private const string EmptyFileName = "a config file name must not be empty";

    /// <summary>An empty file name (<c>--config ""</c>) is a usage error: the path functions throw on one.</summary>
    private static void NotEmpty(SymbolResult result)
    {
        foreach (var token in result.Tokens)
        {
            if (token.Value.Length == 0)
            {
                result.AddError(EmptyFileName);
                return;
            }
        }
    }

    private static Command Echo(string[] args, CommandActions actions)
    {
        var command = new Command("echo", "Run a demo backend that answers every request with its service, its lane and the lane tag it received, and sets x-served-lane.")
        {
            new Option<string>("--service") { Description = "The service name it reports [default: echo].", HelpName = "NAME" },
            new Option<string>("--lane") { Description = "Its lane [default: base, the baseline].", HelpName = "LANE" },
            new Option<string>("--instance") { Description = "The instance name it reports [default: the machine name, a pod's name in Kubernetes].", HelpName = "NAME" },
            new Option<string>("--urls") { Description = "Where it listens [default: http://0.0.0.0:8080].", HelpName = "URLS" },
            new Option<string[]>("--call")
            {
                Description = "A service it calls for each request (http://SERVICE plus the request's path), passing the lane tag on (repeatable). "
                    + "Its endpoints: --Services:SERVICE:http:0=URL (the baseline), --Services:SERVICE:LANE:0=URL (a lane's instance).",
                HelpName = "SERVICE",
                AllowMultipleArgumentsPerToken = false,
            },
        };
        command.TreatUnmatchedTokensAsErrors = false;

        // The echo backend reads its own arguments (and configuration tokens such as --Services:payments:http:0=URL).
        command.SetAction(_ => actions.Echo(args[(Array.IndexOf(args, "echo") + 1)..]));
        return command;
    }
}
