namespace Gateway.Host.Hosting;

/// <summary>
/// <c>[run] [--config FILE] [ASP.NET options such as --urls]</c> or <c>validate FILE</c>. Parsed by hand: the host's
/// own options pass through to ASP.NET Core untouched.
/// </summary>
internal sealed record CommandLine(string Command, string? ConfigFile, string[] HostArgs, string? Error)
{
    public const string Usage = """
        Usage:
          Gateway.Host [--config FILE] [--urls URLS]   run the gateway (without --config: the embedded demo)
          Gateway.Host validate FILE                    check a config file; exit 0 when valid, 2 with every problem listed
          Gateway.Host explain FILE 'method=GET&path=/api/orders/1&header=x-user-id:1001&clientIp=1.2.3.4'
                                                        how FILE's config routes that request (JSON)
          Gateway.Host echo --service NAME --lane LANE [--urls URLS]
                                                        a demo backend that echoes its lane and the tag it received
        """;

    public static CommandLine Parse(string[] args)
    {
        var command = "run";
        var rest = args.AsEnumerable();
        if (args.Length > 0 && !args[0].StartsWith('-'))
        {
            command = args[0];
            rest = args.Skip(1);
        }

        string? config = null;
        var hostArgs = new List<string>();
        var positional = new List<string>();
        using var e = rest.GetEnumerator();
        while (e.MoveNext())
        {
            var arg = e.Current;
            if (arg is "--config" or "-c")
            {
                if (!e.MoveNext())
                {
                    return new CommandLine(command, null, [], "--config needs a file");
                }

                config = e.Current;
            }
            else if (arg.StartsWith("--config=", StringComparison.Ordinal))
            {
                config = arg["--config=".Length..];
            }
            else if (arg.StartsWith('-'))
            {
                hostArgs.Add(arg);
                if (!arg.Contains('=') && e.MoveNext())
                {
                    hostArgs.Add(e.Current);
                }
            }
            else
            {
                positional.Add(arg);
            }
        }

        return command switch
        {
            "run" when positional.Count == 0 => new CommandLine(command, config, [.. hostArgs], null),
            "validate" when positional.Count == 1 && config is null => new CommandLine(command, positional[0], [], null),
            "validate" when positional.Count == 0 && config is not null => new CommandLine(command, config, [], null),
            "explain" when positional.Count == 2 && config is null => new CommandLine(command, positional[0], [positional[1]], null),
            "echo" when positional.Count == 0 && config is null => new CommandLine(command, null, [.. hostArgs], null),
            "run" or "validate" or "echo" or "explain" => new CommandLine(command, config, [], "unexpected arguments: " + string.Join(' ', positional)),
            _ => new CommandLine(command, config, [], "unknown command '" + command + "'"),
        };
    }
}
