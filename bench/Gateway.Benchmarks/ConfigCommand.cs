using System.Globalization;

namespace Gateway.Benchmarks;

/// <summary>
/// <c>config NAME --base-port P --gray-port P [--routes N]</c>: prints one of <c>bench/load.sh</c>'s gateway configs
/// (<see cref="LoadConfigs"/>) to standard output; the script writes every gateway config it runs this way.
/// </summary>
internal static class ConfigCommand
{
    private const string Usage = "usage: config NAME --base-port P --gray-port P [--routes N]; NAME: " + LoadConfigs.Names;

    public static int Run(ReadOnlySpan<string> args)
    {
        int? basePort = null, grayPort = null;
        var routes = 10_000;
        for (var i = 1; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return Fail("'" + args[i] + "' needs a number");
            }

            switch (args[i])
            {
                case "--base-port":
                    basePort = value;
                    break;
                case "--gray-port":
                    grayPort = value;
                    break;
                case "--routes":
                    routes = value;
                    break;
                default:
                    return Fail("unknown option '" + args[i] + "'");
            }
        }

        if (args.Length == 0 || basePort is null || grayPort is null)
        {
            return Fail("a name and both ports are required");
        }

        var config = LoadConfigs.Named(args[0], basePort.Value, grayPort.Value, routes);
        if (config is null)
        {
            return Fail("unknown config '" + args[0] + "'");
        }

        using var output = Console.OpenStandardOutput();
        output.Write(LoadConfigs.ToUtf8(config));
        return 0;
    }

    private static int Fail(string problem)
    {
        Console.Error.WriteLine("config: " + problem + "; " + Usage);
        return 2;
    }
}
