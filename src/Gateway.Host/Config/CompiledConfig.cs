using Gateway.Routing.Config;

namespace Gateway.Host.Config;

/// <summary>A config that passed validation: its document, host settings, routes and clusters, lane snapshot, and what the next reload can reuse of them.</summary>
/// <param name="Settings">The host sections flattened as the configuration system reads them (everything but routes and lanes).</param>
/// <param name="ReusedGroups">Lane groups whose compiled rules were taken from the previous config (reload log).</param>
internal sealed record CompiledConfig(
    ConfigDocument Document,
    GatewayConfigFile File,
    IReadOnlyDictionary<string, string?> Settings,
    ProxyConfigSet Proxy,
    GatewaySnapshot Snapshot,
    ConfigEntries<LaneGroupOptions> Groups,
    int ReusedGroups);
