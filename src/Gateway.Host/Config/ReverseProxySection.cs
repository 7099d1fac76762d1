using System.Text.Json;

namespace Gateway.Host.Config;

/// <summary>The keys of YARP's <c>ReverseProxy</c> section; each route and cluster is read on its own (<see cref="ProxyConfigReader"/>).</summary>
internal sealed class ReverseProxySection
{
    public JsonElement Routes { get; set; }

    public JsonElement Clusters { get; set; }
}
