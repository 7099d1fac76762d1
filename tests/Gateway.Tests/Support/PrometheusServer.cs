using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Gateway.Tests.Support;

/// <summary>A real Prometheus (Debian's package) on a loopback port with a temporary data directory.</summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly HttpClient _client;

    private PrometheusServer(Process process, string directory, Uri address)
    {
        _process = process;
        _directory = directory;
        _client = new HttpClient { BaseAddress = address };
    }

    /// <summary>Starts Prometheus scraping each target's <c>/metrics</c> every second, as job <c>lanes-gateway</c>.</summary>
    public static async Task<PrometheusServer> StartAsync(params Uri[] targets)
    {
        var directory = Directory.CreateTempSubdirectory("lanes-prometheus-").FullName;
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: lanes-gateway
                metrics_path: /metrics
                static_configs:
                  - targets: [{string.Join(", ", targets.Select(t => "\"" + t.Authority + "\""))}]
            """);
        var port = FreePort();
        var start = new ProcessStartInfo(Tool.Require("prometheus"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "--config.file=" + config, "--storage.tsdb.path=" + Path.Combine(directory, "data"), "--web.listen-address=127.0.0.1:" + port })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PrometheusServer(process, directory, new Uri("http://127.0.0.1:" + port));
        for (var attempt = 0; attempt < 300; attempt++)
        {
            try
            {
                using var ready = await server._client.GetAsync("/-/ready");
                if (ready.IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        await server.DisposeAsync();
        throw new TimeoutException("prometheus did not become ready");
    }

    /// <summary>Evaluates an instant query; returns each series' labels and value.</summary>
    public async Task<List<(Dictionary<string, string> Labels, double Value)>> QueryAsync(string promql)
    {
        var json = await _client.GetStringAsync("/api/v1/query?query=" + Uri.EscapeDataString(promql));
        using var document = JsonDocument.Parse(json);
        var data = document.RootElement.GetProperty("data");
        data.GetProperty("resultType").GetString().Should().Be("vector", promql);
        return [.. data.GetProperty("result").EnumerateArray().Select(series => (
            series.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
            double.Parse(series.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)))];
    }

    /// <summary>Polls a query until its single value equals <paramref name="expected"/> (Prometheus scrapes once a second).</summary>
    public async Task WaitForValueAsync(string promql, double expected)
    {
        for (var attempt = 0; attempt < 150; attempt++)
        {
            var result = await QueryAsync(promql);
            if (result.Count == 1 && result[0].Value == expected)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException(promql + " never reached " + expected);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
