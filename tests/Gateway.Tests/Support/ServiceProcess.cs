using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Gateway.Tests.Support;

/// <summary>A demo chain service (<c>Gateway.Host echo ...</c>, built on Lanes.Propagation) as its own OS process.</summary>
internal sealed partial class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;
    private readonly string[] _args;

    private ServiceProcess(Process process, StringBuilder output, string[] args, Uri address)
    {
        _process = process;
        _output = output;
        _args = args;
        Address = address;
    }

    public Uri Address { get; }

    public string Url => Address.ToString().TrimEnd('/');

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

    /// <summary>Starts <c>echo --service SERVICE --lane LANE --instance SERVICE-LANE-1</c> plus <paramref name="args"/>.</summary>
    public static Task<ServiceProcess> StartAsync(string service, string lane, params string[] args) =>
        StartAsync([
            "echo", "--service", service, "--lane", lane, "--instance", service + "-" + lane + "-1",
            .. args, .. args.Contains("--urls") ? Array.Empty<string>() : ["--urls", "http://127.0.0.1:0"]]);

    /// <summary>Kills the process and starts it again with the same arguments on the same address.</summary>
    public async Task<ServiceProcess> RestartAsync()
    {
        await DisposeAsync();
        var args = _args.ToList();
        var urls = args.IndexOf("--urls");
        args[urls + 1] = Url;
        return await StartAsync([.. args]);
    }

    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    private static async Task<ServiceProcess> StartAsync(string[] args)
    {
        var output = new StringBuilder();
        var process = GatewayProcess.Create(args);
        var listening = await ProcessOutput.StartUntilAsync(process, ListeningLine(), output, "service process");
        return new ServiceProcess(process, output, args, new Uri(listening.Groups[1].Value));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"echo service \S+ lane \S+ listening on (http://\S+)")]
    private static partial Regex ListeningLine();
}
