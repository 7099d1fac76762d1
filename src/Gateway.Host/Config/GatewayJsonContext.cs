using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
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
internal sealed partial class GatewayJsonContext : JsonSerializerContext
{
    /// <summary>
    /// Ids are the keys of routes, clusters and lane groups, so a copy inside the object is not a setting; lane groups
    /// are read one by one (<see cref="LanesReader"/>), not as part of the <c>Lanes</c> section.
    /// </summary>
    internal static void Adjust(JsonTypeInfo info)
    {
        if (info.Type == typeof(RouteConfig))
        {
            Remove(info, nameof(global::Yarp.ReverseProxy.Configuration.RouteConfig.RouteId));
        }
        else if (info.Type == typeof(ClusterConfig))
        {
            Remove(info, nameof(global::Yarp.ReverseProxy.Configuration.ClusterConfig.ClusterId));
        }
        else if (info.Type == typeof(LaneGroupOptions))
        {
            Remove(info, nameof(global::Gateway.Routing.Config.LaneGroupOptions.Name));
        }
        else if (info.Type == typeof(LanesOptions))
        {
            var groups = info.Properties.Single(p => p.Name == nameof(global::Gateway.Routing.Config.LanesOptions.Groups));
            groups.CustomConverter = new SkippedValue<List<LaneGroupOptions>>();
            groups.IsSetNullable = true;
            groups.Set = static (_, _) => { };
        }
    }

    /// <summary>Refuses the key rather than removing it: YARP's records set their init-only members through the type's metadata.</summary>
    private static void Remove(JsonTypeInfo info, string name) => info.Properties.Single(p => p.Name == name).CustomConverter = new KeyInsideEntry();
}
