using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gateway.Tests.Support;

namespace Gateway.Tests.Host;

/// <summary>
/// Every command in README.md's shell blocks, run from the repository root as a user would. <c>dotnet run</c> gets
/// <c>--no-build</c> and the test's build configuration (the test run built the project already), and commands that
/// keep running get loopback port 0 instead of their fixed ports so they cannot collide with anything else on the
/// machine; they count as working once they print that they listen. <c>./test.sh</c> would run this suite again, so
/// it is only checked to exist and parse. Other tools (kubectl, promtool, curl) are not run, but every repository
/// path a command names must exist.
/// </summary>
public partial class ReadmeCommandsTests
{
    private static readonly string Readme = Path.Combine(RepositoryRoot.Path, "README.md");

    public static TheoryData<string> Commands()
    {
        // A command the README repeats (validate in the Quick start and in "Editing routes safely") is one case:
        // xunit would otherwise skip the second with a duplicate-ID warning in every test run's output.
        var data = new TheoryData<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var words in ReadmeCommands.Read(Readme))
        {
            var line = string.Join(' ', words.Select(w => w.Contains(' ', StringComparison.Ordinal) || w.Contains('&', StringComparison.Ordinal) ? "'" + w + "'" : w));
            if (seen.Add(line))
            {
                data.Add(line);
            }
        }

        return data;
    }

    [Fact]
    public void Readme_QuickStart_HasTheDemoAndTheTestSuite()
    {
        var commands = ReadmeCommands.Read(Readme).Select(words => string.Join(' ', words)).ToList();

        commands.Should().Contain("dotnet run --project src/Gateway.Host").And.Contain("./test.sh");
        commands.Should().Contain(c => c.Contains(" validate ", StringComparison.Ordinal))
            .And.Contain(c => c.Contains(" explain ", StringComparison.Ordinal))
            .And.Contain(c => c.Contains(" echo ", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task ReadmeCommand_FromRepositoryRoot_Works(string line)
    {
        var words = ReadmeCommands.Split(line);

        if (words is ["dotnet", "run", "--project", "src/Gateway.Host", .. var rest])
        {
            await RunGatewayAsync(rest);
        }
        else if (words is ["./test.sh", ..])
        {
            var (exitCode, _, stderr) = await RunAsync("bash", ["-c", "test -x test.sh && bash -n test.sh"], TimeSpan.FromSeconds(30));
            (exitCode, stderr).Should().Be((0, ""), "./test.sh is executable and parses");
        }

        foreach (var word in words.Where(w => RepositoryPath().IsMatch(w)))
        {
            Path.Exists(Path.Combine(RepositoryRoot.Path, word)).Should().BeTrue("'{0}' in the README's command '{1}' names a repository path", word, line);
        }
    }

    private static async Task RunGatewayAsync(string[] rest)
    {
        var separator = Array.IndexOf(rest, "--");
        string[] gatewayArgs = separator < 0 ? [] : rest[(separator + 1)..];
        var configuration = typeof(ReadmeCommandsTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        string[] dotnetArgs = ["run", "--project", "src/Gateway.Host", "--no-build", "-c", configuration, "--", .. gatewayArgs.Select(a => FixedPort().Replace(a, "$1:0"))];
        var command = gatewayArgs.FirstOrDefault();
        if (command is "validate")
        {
            var (exitCode, stdout, stderr) = await RunAsync(DotnetHost, dotnetArgs, TimeSpan.FromSeconds(90));
            (exitCode, stderr).Should().Be((0, ""));
            stdout.Should().Contain(": valid (revision ");
        }
        else if (command is "explain")
        {
            var (exitCode, stdout, stderr) = await RunAsync(DotnetHost, dotnetArgs, TimeSpan.FromSeconds(90));
            (exitCode, stderr).Should().Be((0, ""));
            JsonDocument.Parse(stdout).RootElement.GetProperty("route").GetString().Should().NotBeNullOrEmpty("the README's request matches a route");
        }
        else if (command is "echo")
        {
            await RunUntilListeningAsync(dotnetArgs, "listening on http://");
        }
        else
        {
            string[] ports = gatewayArgs.Contains("--urls") ? ["--Admin:Urls", "http://127.0.0.1:0"] : ["--urls", "http://127.0.0.1:0", "--Admin:Urls", "http://127.0.0.1:0"];
            await RunUntilListeningAsync([.. dotnetArgs, .. ports], "Lanes Gateway listening on ");
        }
    }

    private static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    private static async Task RunUntilListeningAsync(string[] args, string listening)
    {
        using var process = Start(DotnetHost, args);
        var output = new StringBuilder();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        DataReceivedEventHandler collect = (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }

            if (e.Data?.Contains(listening, StringComparison.OrdinalIgnoreCase) == true)
            {
                ready.TrySetResult();
            }
        };
        process.OutputDataReceived += collect;
        process.ErrorDataReceived += collect;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var first = await Task.WhenAny(ready.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(90)));
            lock (output)
            {
                first.Should().Be(ready.Task, "'{0}' should start and print \"{1}\"; its output:\n{2}", string.Join(' ', args), listening, output);
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static async Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(string program, string[] args, TimeSpan timeout)
    {
        using var process = Start(program, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    private static Process Start(string program, string[] args)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    /// <summary>A fixed loopback port such as <c>http://127.0.0.1:8080</c>.</summary>
    [GeneratedRegex(@"^(http://127\.0\.0\.1):\d+$")]
    private static partial Regex FixedPort();

    /// <summary>A relative path into the repository, such as <c>examples/canary-split.json</c> or <c>./test.sh</c>.</summary>
    [GeneratedRegex(@"^(\./)?(src|examples|deploy|docs|bench|tests)/[\w./-]*$|^\./[\w.-]+$")]
    private static partial Regex RepositoryPath();
}
