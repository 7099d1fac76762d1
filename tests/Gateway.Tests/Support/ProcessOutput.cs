using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Gateway.Tests.Support;

/// <summary>Starts a process that collects its stdout and stderr and waits for the line that says it is ready.</summary>
internal static class ProcessOutput
{
    /// <summary>
    /// Starts <paramref name="process"/>, appending everything it prints to <paramref name="output"/>, and returns the
    /// first stdout match of <paramref name="ready"/>; kills it and throws when it exits or takes a minute instead.
    /// </summary>
    public static async Task<Match> StartUntilAsync(Process process, Regex ready, StringBuilder output, string what)
    {
        var matched = new TaskCompletionSource<Match>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            Append(output, e.Data);
            if (e.Data is not null && ready.Match(e.Data) is { Success: true } match)
            {
                matched.TrySetResult(match);
            }
        };
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var first = await Task.WhenAny(matched.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        if (first != matched.Task)
        {
            process.Kill(entireProcessTree: true);
            lock (output)
            {
                throw new InvalidOperationException(what + " did not start: " + output);
            }
        }

        return await matched.Task;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
