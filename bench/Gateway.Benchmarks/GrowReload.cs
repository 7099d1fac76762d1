using Gateway.Host.Config;
using Gateway.Host.Hosting;
using Gateway.Routing.Config;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Benchmarks;

/// <summary>
/// A whole grow reload in-process, with no traffic: the gateway started on the small config, its file renamed over by
/// the large one, the watcher's read, compile and YARP's apply, then one request to the last route (ASP.NET builds its
/// route matcher on it). Reports what the process allocated, what the collections meanwhile promoted and paused, the
/// process's CPU time, and what stays alive after. <paramref name="probe"/> is a path only the large config routes.
/// </summary>
internal static class GrowReload
{
    public static async Task RunAsync(string small, string big, string probe, int runs)
    {
        var directory = Directory.CreateTempSubdirectory("grow-reload-");
        var file = Path.Combine(directory.FullName, "gateway.json");
        File.Copy(small, file);
        var problems = new List<ConfigProblem>();
        await using var app = GatewayApp.Build(GatewayConfigSource.FromFile(file), ["--urls", "http://127.0.0.1:0", "--Admin:Urls", "http://127.0.0.1:0"], problems,
            builder => builder.Configuration["Serilog:Properties:Host"] = "grow-reload") ?? throw new InvalidOperationException(string.Join("; ", problems));
        await app.StartAsync();
        var snapshots = app.Services.GetRequiredService<GatewaySnapshotSource>();
        using var client = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<GatewayListeners>().PublicUrls.First()) };

        // Renames the config over the watched file, as an editor or a ConfigMap update does, and waits until it serves.
        async Task Put(string config)
        {
            var serving = snapshots.Current.RevisionId;
            File.Copy(config, file + ".tmp", overwrite: true);
            File.Move(file + ".tmp", file, overwrite: true);
            while (snapshots.Current.RevisionId == serving)
            {
                await Task.Delay(5);
            }

            using var response = await client.GetAsync(probe);
        }

        await Task.Delay(TimeSpan.FromSeconds(10)); // the gateway's reload warm-up runs first
        for (var warmUp = 0; warmUp < 2; warmUp++)
        {
            await Put(big);
            await Put(small);
        }

        using var promotions = new GcPromotions();
        for (var run = 0; run < runs; run++)
        {
            var heap = GcPromotions.SmallObjectHeap();
            var (promoted, collections) = promotions.Read();
            var paused = GC.GetTotalPauseDuration();
            var cpu = Environment.CpuUsage.TotalTime;
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            await Put(big);
            allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
            paused = GC.GetTotalPauseDuration() - paused;
            cpu = Environment.CpuUsage.TotalTime - cpu;
            var (promotedAfter, collectionsAfter) = promotions.Read();
            heap = GcPromotions.SmallObjectHeap() - heap;
            await Put(small);
            Console.WriteLine($"run {run}: grow reload allocated {GcPromotions.Mb(allocated)}; {collectionsAfter - collections} collections promoted "
                + $"{GcPromotions.Mb(promotedAfter - promoted)} and paused {paused.TotalMilliseconds:0} ms; "
                + $"process CPU {cpu.TotalMilliseconds:0} ms; small-object heap after +{GcPromotions.Mb(heap)}");
        }

        await app.StopAsync();
        directory.Delete(recursive: true);
    }
}
