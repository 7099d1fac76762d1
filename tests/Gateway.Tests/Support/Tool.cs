using System.Diagnostics;

namespace Gateway.Tests.Support;

/// <summary>Runs an external tool (promtool, prometheus, bash) that test.sh installs.</summary>
internal static class Tool
{
    public static string Require(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            var path = Path.Combine(dir, name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new InvalidOperationException("'" + name + "' is not installed; run ./test.sh (it installs it) or apt-get install prometheus jq");
    }

    public static async Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(
        string name, IEnumerable<string> args, string? stdin = null, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(Require(name))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? RepositoryRoot.Path,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        // Generous: the Kubernetes validator's own tests start many node processes, slow on a busy 2-core machine.
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(180));
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
