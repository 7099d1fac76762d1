using System.Text.Json.Serialization;
using Gateway.Routing.Config;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Host.Config;

/// <summary>The types the config file is read into; the JSON reading code for them is generated at build time.</summary>
[JsonSerializable(typeof(GatewayConfigFile))]
[JsonSerializable(typeof(ReverseProxySection))]
[JsonSerializable(typeof(RouteConfig))]
[JsonSerializable(typeof(ClusterConfig))]
[JsonSerializable(typeof(LanesOptions))]
[JsonSerializable(typeof(LaneGroupOptions))]
[JsonSerializable(typeof(KestrelEndpoints.Defaults))]
[JsonSerializable(typeof(KestrelEndpoints.Endpoint))]
internal sealed partial class GatewayJsonContext : JsonSerializerContext;
