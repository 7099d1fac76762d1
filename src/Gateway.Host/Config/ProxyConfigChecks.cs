using Gateway.Routing.Config;

namespace Gateway.Host.Config;

/// <summary>
/// The checks on YARP's <c>ReverseProxy</c> section that the lane config depends on, so that <c>validate</c> catches
/// them before YARP would refuse to start: routes name existing clusters and match something, destinations have
/// absolute http(s) addresses.
/// </summary>
internal static class ProxyConfigChecks
{
    public const string SectionName = "ReverseProxy";

    public static IReadOnlyCollection<string> Check(IConfiguration configuration, ConfigReader reader)
    {
        var section = configuration.GetSection(SectionName);
        var clusters = section.GetSection("Clusters").GetChildren().Select(c => c.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var routes = new List<string>();
        foreach (var route in section.GetSection("Routes").GetChildren())
        {
            routes.Add(route.Key);
            var path = SectionName + ":Routes:" + route.Key;
            var clusterId = route["ClusterId"];
            if (string.IsNullOrWhiteSpace(clusterId))
            {
                reader.Report(path + ":ClusterId", "a route needs a ClusterId");
            }
            else if (!clusters.Contains(clusterId))
            {
                reader.Report(path + ":ClusterId", "unknown cluster '" + clusterId + "'");
            }

            var match = route.GetSection("Match");
            if (string.IsNullOrWhiteSpace(match["Path"]) && !match.GetSection("Hosts").GetChildren().Any())
            {
                reader.Report(path + ":Match", "a route needs Match:Path or Match:Hosts");
            }
        }

        foreach (var cluster in section.GetSection("Clusters").GetChildren())
        {
            // Lanes choose destinations themselves; YARP's affinity would run after them, and its HashCookie policy
            // needs a library this build cannot ship. Say so instead of silently ignoring the setting.
            if (string.Equals(cluster["SessionAffinity:Enabled"], "true", StringComparison.OrdinalIgnoreCase))
            {
                reader.Report(SectionName + ":Clusters:" + cluster.Key + ":SessionAffinity", "session affinity is not supported; use a percentage lane's StickyKey to keep users together");
            }

            foreach (var destination in cluster.GetSection("Destinations").GetChildren())
            {
                var address = destination["Address"];
                if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                {
                    reader.Report(SectionName + ":Clusters:" + cluster.Key + ":Destinations:" + destination.Key + ":Address",
                        "'" + address + "' is not an absolute http or https address");
                }
            }
        }

        return routes;
    }
}
