using System.Text.Json.Serialization;

namespace Gateway.Host.Config;

/// <summary>The keys of YARP's <c>ReverseProxy</c> section; each route and cluster is read on its own (<see cref="ProxyConfigReader"/>).</summary>
internal sealed class ReverseProxySection
{
    [JsonConverter(typeof(SkippedValue<object>))]
    public object? Routes { get; init; }

    [JsonConverter(typeof(SkippedValue<object>))]
    public object? Clusters { get; init; }
}
