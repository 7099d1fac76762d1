using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Gateway.Tests.Support;

/// <summary>The gateway as a separate OS process (its own hash seeds, its own everything), as in production.</summary>
internal sealed partial class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;

    private GatewayProcess(Process process, StringBuilder output, Uri address, Uri adminAddress)
    {
        _process = process;
        _output = output;
        Address = address;
        AdminAddress = adminAddress;
    }

    public Uri Address { get; }

    public Uri AdminAddress { get; }

    public int Id => _process.Id;

    public Process Process => _process;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static Task<GatewayProcess> StartAsync(params string[] args) => StartAsync(new Dictionary<string, string>(), args);

    /// <summary>Starts the gateway with extra environment variables (settings as <c>Section__Key</c>, as a pod spec sets them).</summary>
    public static Task<GatewayProcess> StartAsync(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        StartListeningAsync(environment, [.. args, "--urls", "http://127.0.0.1:0", "--Admin:Urls", "http://127.0.0.1:0"]);

    /// <summary>Starts the gateway under an open-file limit (soft and hard, set by util-linux's <c>prlimit</c>), on loopback port 0.</summary>
    public static async Task<GatewayProcess> StartWithOpenFileLimitAsync(int openFiles, params string[] args)
    {
        var output = new StringBuilder();
        var process = Create([.. args, "--urls", "http://127.0.0.1:0", "--Admin:Urls", "http://127.0.0.1:0"], launcher: ["prlimit", "--nofile=" + openFiles + ":" + openFiles]);
        var listening = await ProcessOutput.StartUntilAsync(process, ListeningLine(), output, "gateway process");
        return new GatewayProcess(process, output, new Uri(listening.Groups[1].Value), new Uri(listening.Groups[2].Value));
    }

    /// <summary>Starts the gateway with the arguments as given: they must set its listeners (<c>--urls</c>, <c>--Admin:Urls</c>).</summary>
    public static async Task<GatewayProcess> StartListeningAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var output = new StringBuilder();
        var process = Create(args);
        foreach (var (name, value) in environment)
        {
            process.StartInfo.Environment[name] = value;
        }

        var listening = await ProcessOutput.StartUntilAsync(process, ListeningLine(), output, "gateway process");
        return new GatewayProcess(process, output, new Uri(listening.Groups[1].Value), new Uri(listening.Groups[2].Value));
    }

    /// <summary>Runs the gateway with the arguments until it exits and returns its exit code and output.</summary>
    public static Task<(int ExitCode, string StdOut, string StdErr)> RunToExitAsync(params string[] args) => RunToExitAsync(new Dictionary<string, string>(), args);

    /// <summary>Runs the gateway with extra environment variables and the arguments until it exits.</summary>
    public static async Task<(int ExitCode, string StdOut, string StdErr)> RunToExitAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var process = Create(args);
        foreach (var (name, value) in environment)
        {
            process.StartInfo.Environment[name] = value;
        }

        process.Start();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The gateway's process; <paramref name="launcher"/> runs it (a program and its arguments, the dotnet host following).</summary>
    internal static Process Create(string[] args, string[]? launcher = null)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo(launcher is null ? dotnet : launcher[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in launcher is null ? [] : (string[])[.. launcher[1..], dotnet])
        {
            start.ArgumentList.Add(arg);
        }

        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Gateway.Host.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return new Process { StartInfo = start };
    }

    /// <summary>Sends SIGTERM, as Kubernetes does to stop a pod.</summary>
    public void Terminate() => Signal(15);

    /// <summary>Sends a signal by its number (1 SIGHUP, 2 SIGINT, 15 SIGTERM).</summary>
    public void Signal(int signal)
    {
        if (SendSignal(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException("kill failed: errno " + System.Runtime.InteropServices.Marshal.GetLastPInvokeError());
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"Lanes Gateway listening on (http://\S+) admin (http://\S+)")]
    private static partial Regex ListeningLine();
}
