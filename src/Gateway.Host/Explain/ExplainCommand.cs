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
        var snapshot = configuration is null ? null : GatewayConfigLoader.Compile(configuration, source.BaseDirectory, problems);
        if (snapshot is null)
        {
            Program.ReportProblems(source, problems);
            return Program.InvalidConfigExitCode;
        }

        if (!ExplainRequest.TryParse(description, out var request, out var error))
        {
            Console.Error.WriteLine(error);
            return Program.InvalidConfigExitCode;
        }

        var proxy = configuration!.GetSection(ProxyConfigChecks.SectionName);
        var routes = proxy.GetSection("Routes").GetChildren().Select(route => new RouteConfig
        {
            RouteId = route.Key,
            ClusterId = route["ClusterId"],
            Order = int.TryParse(route["Order"], out var order) ? order : null,
            Match = route.GetSection("Match").Get<RouteMatch>() ?? new RouteMatch(),
        }).ToList();
        var clusters = proxy.GetSection("Clusters").GetChildren().ToDictionary(
            cluster => cluster.Key,
            cluster => (IReadOnlyList<DestinationState>)[.. cluster.GetSection("Destinations").GetChildren().Select(destination =>
                new DestinationState(destination.Key, new DestinationModel(new DestinationConfig
                {
                    Address = destination["Address"]!,
                    Metadata = destination.GetSection("Metadata").Get<Dictionary<string, string>>(),
                })))],
            StringComparer.OrdinalIgnoreCase);

        var result = Explainer.Explain(snapshot, routes, id => clusters.TryGetValue(id, out var all) ? (all, all) : null, request);
        Console.WriteLine(JsonSerializer.Serialize(result, Json));
        return 0;
    }
}
