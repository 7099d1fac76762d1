using System.Text.Json;
using Gateway.Host.Config;
using Gateway.Routing.Config;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace Gateway.Host.Explain;

/// <summary>
/// <c>explain FILE DESCRIPTION</c>: explains a request against a config file without starting the gateway (every
/// destination is taken as healthy). Exit 0 with the explanation as JSON, 2 for an invalid config or description.
/// </summary>
internal static class ExplainCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static int Run(string file, string description)
    {
        var source = GatewayConfigSource.FromFile(file);
        var problems = new List<ConfigProblem>();
        var configuration = GatewayConfigLoader.Load(source, problems);
        var compiled = configuration is null ? null : GatewayConfigLoader.Compile(configuration, source.BaseDirectory, problems, previous: null);
        if (compiled is null)
        {
            Program.ReportProblems(source, problems);
            return Program.InvalidConfigExitCode;
        }

        if (!ExplainRequest.TryParse(description, out var request, out var error))
        {
            Console.Error.WriteLine(error);
            return Program.InvalidConfigExitCode;
        }

        // The routes and clusters exactly as the gateway would give them to YARP.
        var clusters = compiled.Proxy.Clusters.ToDictionary(
            cluster => cluster.ClusterId,
            cluster => (IReadOnlyList<DestinationState>)[.. cluster.Destinations!.Select(destination => new DestinationState(destination.Key, new DestinationModel(destination.Value)))],
            StringComparer.OrdinalIgnoreCase);

        var result = Explainer.Explain(compiled.Snapshot, compiled.Proxy.Routes, id => clusters.TryGetValue(id, out var all) ? (all, all) : null, request);
        Console.WriteLine(JsonSerializer.Serialize(result, Json));
        return 0;
    }
}
