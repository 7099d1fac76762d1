using Gateway.Host.Hosting;

namespace Gateway.Tests.Host;

/// <summary>The command line's parsing, help and usage errors, with actions that only record what they were given.</summary>
public class CommandLineTests
{
    [Fact]
    public async Task Invoke_NoArguments_RunsTheDemo()
    {
        var result = await InvokeAsync();

        (result.ExitCode, result.Called, result.File).Should().Be((0, "run", (string?)null));
        result.Args.Should().BeEmpty();
    }

    [Theory]
    [InlineData("--config", "gw.json")]
    [InlineData("run", "--config", "gw.json")]
    [InlineData("-c", "gw.json")]
    [InlineData("--config=gw.json")]
    public async Task Invoke_Run_TakesTheConfigFile(params string[] args)
    {
        var result = await InvokeAsync(args);

        (result.ExitCode, result.Called, result.File).Should().Be((0, "run", "gw.json"));
    }

    [Fact]
    public async Task Invoke_RunWithHostOptions_PassesThemToTheHost()
    {
        var result = await InvokeAsync(
            "--config", "gw.json", "--urls", "http://127.0.0.1:8080", "--Logging:LogLevel:Default=Debug", "--Admin:Urls", "http://127.0.0.1:9902");

        (result.Called, result.File).Should().Be(("run", "gw.json"));
        result.Args.Should().Equal(
            "--Logging:LogLevel:Default=Debug", "--Admin:Urls", "http://127.0.0.1:9902", "--urls", "http://127.0.0.1:8080");
    }

    [Theory]
    [InlineData("validate", "gw.json")]
    [InlineData("validate", "--config=gw.json")]
    [InlineData("validate", "-c", "gw.json")]
    public async Task Invoke_Validate_TakesTheFile(params string[] args)
    {
        var result = await InvokeAsync(args);

        (result.ExitCode, result.Called, result.File).Should().Be((0, "validate", "gw.json"));
    }

    [Fact]
    public async Task Invoke_Explain_TakesFileAndDescription()
    {
        var result = await InvokeAsync("explain", "gw.json", "path=/api/orders/1&header=x-user-id:42");

        (result.ExitCode, result.Called, result.File, result.Description).Should().Be((0, "explain", "gw.json", "path=/api/orders/1&header=x-user-id:42"));
    }

    [Fact]
    public async Task Invoke_Echo_PassesItsArgumentsUnchanged()
    {
        string[] echo = ["--service", "orders", "--lane", "gray", "--instance", "orders-gray-1", "--call", "payments", "--call", "users", "--urls", "http://127.0.0.1:5002",
            "--Services:payments:http:0=http://127.0.0.1:5001"];

        var result = await InvokeAsync(["echo", .. echo]);

        (result.ExitCode, result.Called).Should().Be((0, "echo"));
        result.Args.Should().Equal(echo);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("run", "--help")]
    [InlineData("validate", "--help")]
    [InlineData("explain", "-h")]
    [InlineData("echo", "--help")]
    [InlineData("--config", "gw.json", "--help")]
    public async Task Invoke_Help_PrintsUsageAndRunsNothing(params string[] args)
    {
        var result = await InvokeAsync(args);

        (result.ExitCode, result.Called).Should().Be((0, (string?)null));
        result.StdOut.Should().Contain("Usage:");
        result.StdErr.Should().BeEmpty();
    }

    [Fact]
    public async Task Invoke_EchoHelp_ListsItsOptions()
    {
        var result = await InvokeAsync("echo", "--help");

        result.StdOut.Should().Contain("--service <NAME>").And.Contain("--lane <LANE>").And.Contain("--instance <NAME>").And.Contain("--urls <URLS>").And.Contain("--call <SERVICE>");
        result.StdOut.Should().Contain("--Services:SERVICE:http:0=URL").And.Contain("--Services:SERVICE:LANE:0=URL", "where a --call service's instances are is an option too");
    }

    [Theory]
    [InlineData("unknown command 'validat'; did you mean 'validate'?", "validat", "gw.json")]
    [InlineData("unknown command 'serve'", "serve")]
    [InlineData("validate needs one config file: validate FILE", "validate")]
    [InlineData("validate needs one config file: validate FILE", "validate", "a.json", "--config", "b.json")]
    [InlineData("unexpected argument 'b.json'", "validate", "a.json", "b.json")]
    [InlineData("Required argument missing for option: '--config'.", "--config")]
    [InlineData("unexpected argument 'extra'", "run", "extra")]
    [InlineData("unexpected argument '-x'", "--config", "gw.json", "-x")]
    [InlineData("option '--Admin:Urls' needs a value: --Admin:Urls VALUE or --Admin:Urls=VALUE", "--Admin:Urls")]
    [InlineData("Required argument missing for command: 'explain'.", "explain", "gw.json")]
    [InlineData("unexpected argument '--Admin:Token'", "explain", "gw.json", "path=/", "--Admin:Token", "x")]
    [InlineData("a config file name must not be empty", "validate", "")]
    [InlineData("a config file name must not be empty", "validate", "--config", "")]
    [InlineData("a config file name must not be empty", "--config", "")]
    [InlineData("a config file name must not be empty", "run", "--config", "")]
    [InlineData("a config file name must not be empty", "explain", "", "path=/")]
    public async Task Invoke_BadUsage_ExitsTwoWithTheProblemAndTheUsage(string problem, params string[] args)
    {
        var result = await InvokeAsync(args);

        (result.ExitCode, result.Called).Should().Be((2, (string?)null));
        result.StdErr.Should().StartWith(problem).And.Contain("Usage:");
        result.StdOut.Should().BeEmpty();
    }

    /// <summary>Every command and option <c>--help</c> lists is documented in the README, in backticks, as a user would search for it.</summary>
    [Theory]
    [InlineData("--help")]
    [InlineData("validate", "--help")]
    [InlineData("explain", "--help")]
    [InlineData("echo", "--help")]
    public async Task Help_EveryCommandAndOption_IsInTheReadme(params string[] args)
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(Support.RepositoryRoot.Path, "README.md"));

        var help = (await InvokeAsync(args)).StdOut;

        // The first name on each line of the "Options:" and "Commands:" blocks: "  -c, --config <FILE>  ...", "  validate <FILE>  ...".
        var names = help.ReplaceLineEndings("\n").Split("\n\n").Where(block => block.StartsWith("Options:", StringComparison.Ordinal) || block.StartsWith("Commands:", StringComparison.Ordinal))
            .SelectMany(block => block.Split('\n').Skip(1))
            .Select(line => System.Text.RegularExpressions.Regex.Match(line, @"^  (?:-\S+, )*(--[a-z]+|[a-z]+)").Groups[1].Value)
            .Where(name => name is not ("" or "--help")).ToList();
        foreach (var name in names)
        {
            readme.Should().Contain("`" + name, "README documents '{0}', which {1} lists", name, string.Join(' ', args));
        }
    }

    private static async Task<Invocation> InvokeAsync(params string[] args)
    {
        var invocation = new Invocation();
        var actions = new CommandActions(
            (file, hostArgs) => invocation.Record("run", file, hostArgs, null),
            file => invocation.Record("validate", file, [], null).Result,
            (file, description) => invocation.Record("explain", file, [], description).Result,
            echoArgs => invocation.Record("echo", null, echoArgs, null));
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        invocation.ExitCode = await CommandLine.InvokeAsync(args, actions, stdout, stderr);

        invocation.StdOut = stdout.ToString();
        invocation.StdErr = stderr.ToString();
        return invocation;
    }

    private sealed class Invocation
    {
        public int ExitCode { get; set; }

        public string? Called { get; private set; }

        public string? File { get; private set; }

        public string[] Args { get; private set; } = [];

        public string? Description { get; private set; }

        public string StdOut { get; set; } = "";

        public string StdErr { get; set; } = "";

        public Task<int> Record(string command, string? file, string[] args, string? description)
        {
            Called.Should().BeNull("one command runs per invocation");
            (Called, File, Args, Description) = (command, file, args, description);
            return Task.FromResult(0);
        }
    }
}
