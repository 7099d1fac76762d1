using Gateway.Routing.Config;

namespace Gateway.Host.Config;

/// <summary>A config that passed validation: its tree, its routes and clusters, its lane snapshot, and what the next reload can reuse of them.</summary>
/// <param name="ReusedGroups">Lane groups taken unchanged from the previous config (reload log).</param>
internal sealed record CompiledConfig(ConfigTree Tree, ProxyConfigSet Proxy, GatewaySnapshot Snapshot, LaneGroupCache Groups, int ReusedGroups);
