using System.Collections.Concurrent;
using Lanes.Propagation;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Propagation;

/// <summary>
/// Work that outlives the request it was started in (a timer, a background loop of a singleton created lazily) runs
/// with that request's execution context, so in its lane, for good: README "Carrying the lane through your services"
/// tells users to start it inside <c>LaneContext.Enter(null)</c>. These show both, over real HTTP.
/// </summary>
public sealed class LongLivedWorkTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<string> _tags = new();
    private WebApplication _behind = null!;
    private LaneService _service = null!;
    private Timer? _timer;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _behind = builder.Build();
        _behind.Run(context =>
        {
            _tags.Enqueue(context.Request.Headers["x-mse-tag"].ToString());
            return Task.CompletedTask;
        });
        await _behind.StartAsync();
        _service = await LaneService.StartAsync(
            new() { ["Services:behind:http:0"] = _behind.Urls.First() },
            endpoints: app => app.MapGet("/start/{outsideLanes}", (bool outsideLanes, IHttpClientFactory clients) =>
            {
                // A refresher a singleton starts on first use: every few milliseconds it calls a dependency.
                var client = clients.CreateClient();
                TimerCallback refresh = _ => client.GetAsync(new Uri("http://behind/")).ContinueWith(t => t.Result.Dispose(), TaskScheduler.Default);
                if (outsideLanes)
                {
                    using (LaneContext.Enter(null))
                    {
                        _timer = new Timer(refresh, null, 0, 20);
                    }
                }
                else
                {
                    _timer = new Timer(refresh, null, 0, 20);
                }

                return Results.Ok();
            }));
    }

    [Fact]
    public async Task Timer_StartedInAGrayRequest_CallsInTheLaneForGood()
    {
        await _service.GetAsync("/start/false", ("x-mse-tag", "gray"));

        var tags = await RefreshTagsAsync();

        tags.Should().OnlyContain(tag => tag == "gray", "the timer captured the request's execution context, and the lane with it");
    }

    [Fact]
    public async Task Timer_StartedInsideEnterNull_CallsWithoutALane()
    {
        await _service.GetAsync("/start/true", ("x-mse-tag", "gray"));

        var tags = await RefreshTagsAsync();

        tags.Should().OnlyContain(tag => tag.Length == 0);
    }

    /// <summary>The tags of the refresher's calls made after the request that started it has ended.</summary>
    private async Task<string[]> RefreshTagsAsync()
    {
        await Task.Delay(50);
        _tags.Clear();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_tags.Count < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        return [.. _tags];
    }

    public async Task DisposeAsync()
    {
        if (_timer is not null)
        {
            await _timer.DisposeAsync();
        }

        await _service.DisposeAsync();
        await _behind.DisposeAsync();
    }
}
