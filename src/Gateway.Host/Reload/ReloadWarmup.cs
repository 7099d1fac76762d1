using System.Text;
using Gateway.Host.Config;
using Gateway.Routing.Config;

namespace Gateway.Host.Reload;

/// <summary>
/// Runs the reload path (parse, checks, lane reader, compiler) a few times on a generated config of
/// <see cref="Groups"/> routes and lane groups, in the background shortly after start, and throws the results away.
/// Reloads are rare, so without this the first large reload runs in the JIT's first-tier code, several times slower
/// than once warm (docs/performance.md). Only registered when a config file is watched.
/// </summary>
internal sealed partial class ReloadWarmup(ILogger<ReloadWarmup> logger) : BackgroundService
{
    /// <summary>Enough items that every per-route and per-lane method is called past the JIT's promotion threshold (30).</summary>
    public const int Groups = 64;

    /// <summary>With dynamic PGO a hot method is promoted twice, each step after its own calls and a pause; fewer rounds left the first large reload slow.</summary>
    private const int Rounds = 8;

    private const string Lanes = """
        "Lanes": [
          { "Name": "testers", "Tag": "gray", "Match": {
              "Headers": [ { "Name": "x-user-id", "Values": [ "1001", "1002" ] }, { "Name": "x-team", "Mode": "Prefix", "Values": [ "qa-" ] } ],
              "Cookies": [ { "Name": "uid", "Values": [ "1", "2", "3", "4", "5", "6", "7", "8" ] } ],
              "Query": [ { "Name": "lane", "Mode": "Exists" } ],
              "ClientNetworks": [ "10.0.0.0/8" ] } },
          { "Name": "beta", "Tag": "blue", "Fallback": "Reject", "Match": { "Headers": [ { "Name": "x-beta", "Mode": "Regex", "Values": [ "^b[0-9]+$" ], "IgnoreCase": true } ] } },
          { "Name": "canary", "Tag": "gray", "Percentage": 5, "StickyKey": "header:x-user-id" } ]
        """;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            var content = Encoding.UTF8.GetBytes(Config());
            var problems = new List<ConfigProblem>();
            for (var round = 0; round < Rounds && !stoppingToken.IsCancellationRequested; round++)
            {
                var document = ConfigDocument.Parse(content, "reload warm-up", problems);
                var compiled = document is not null && GatewayConfigLoader.Compile(document, AppContext.BaseDirectory, problems) is not null;
                document?.Release();
                if (!compiled)
                {
                    Log.WarmupFailed(logger, string.Join("; ", problems));
                    return;
                }

                // Let the runtime promote what this round made hot before the next one.
                await Task.Delay(TimeSpan.FromMilliseconds(200), stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>A config using each kind of condition the reader and compiler know, except cities (they need a database).</summary>
    public static string Config()
    {
        var ids = Enumerable.Range(0, Groups).ToList();
        return $$"""
            { "ReverseProxy": {
                "Routes": { {{string.Join(",", ids.Select(i => $$""" "r{{i}}": { "ClusterId": "c{{i}}", "Match": { "Path": "/r{{i}}/{**rest}" } } """))}} },
                "Clusters": { {{string.Join(",", ids.Select(i => $$""" "c{{i}}": { "Destinations": { "b": { "Address": "http://127.0.0.1:1/" }, "g": { "Address": "http://127.0.0.1:2/", "Metadata": { "lane": "gray" } } } } """))}} } },
              "Lanes": { "Groups": { {{string.Join(",", ids.Select(i => $$""" "g{{i}}": { "Routes": [ "r{{i}}" ], {{Lanes}} } """))}} } } }
            """;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Reload warm-up config did not compile (reloads still work, only slower the first time): {Problems}")]
        public static partial void WarmupFailed(ILogger logger, string problems);
    }
}
