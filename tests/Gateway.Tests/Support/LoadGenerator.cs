using System.Diagnostics;

namespace Gateway.Tests.Support;

/// <summary>Keeps a steady load of GET requests running (bounded: it stops when asked or after 5 minutes).</summary>
internal sealed class LoadGenerator : IDisposable
{
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromMinutes(5));
    private readonly Task[] _workers;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _succeeded;
    private long _failed;
    private string? _firstError;

    public LoadGenerator(HttpClient client, string path, int workers)
    {
        _workers = [.. Enumerable.Range(0, workers).Select(worker => Task.Run(() => RunAsync(client, path, worker)))];
    }

    public async Task<Result> StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
        var elapsed = _clock.Elapsed;
        return new Result(_succeeded, _failed, _succeeded / elapsed.TotalSeconds, _firstError);
    }

    public void Dispose() => _stop.Dispose();

    private async Task RunAsync(HttpClient client, string path, int worker)
    {
        var i = 0;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                request.Headers.Add("x-user-id", "load-" + worker + "-" + i++);
                using var response = await client.SendAsync(request, _stop.Token);
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref _succeeded);
                }
                else
                {
                    Interlocked.Increment(ref _failed);
                    Interlocked.CompareExchange(ref _firstError, "HTTP " + (int)response.StatusCode, null);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException ex)
            {
                Interlocked.Increment(ref _failed);
                Interlocked.CompareExchange(ref _firstError, ex.Message, null);
            }
        }
    }

    public sealed record Result(long Succeeded, long Failed, double RequestsPerSecond, string? FirstError);
}
