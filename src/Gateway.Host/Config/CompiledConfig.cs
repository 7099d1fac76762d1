using Gateway.Routing.Config;

namespace Gateway.Host.Config;

/// <summary>A config that passed validation: its tree, its lane snapshot, and what the next reload can reuse of it.</summary>
/// <param name="ReusedGroups">Lane groups taken unchanged from the previous config (reload log).</param>
internal sealed record CompiledConfig(ConfigTree Tree, GatewaySnapshot Snapshot, IReadOnlyCollection<string> RouteIds, LaneGroupCache Groups, int ReusedGroups);
