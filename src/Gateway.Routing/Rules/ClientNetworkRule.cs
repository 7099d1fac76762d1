using Gateway.Routing.Clients;

namespace Gateway.Routing.Rules;

/// <summary>Matches when the client address (see <see cref="ClientAddressResolver"/>) is in one of the networks.</summary>
public sealed class ClientNetworkRule(NetworkList networks, IEnumerable<string> entries) : IRule
{
    public string Key { get; } = "networks:" + string.Join("\u0001", entries.Select(e => e.Trim()).Order(StringComparer.OrdinalIgnoreCase));

    public string Description { get; } = "client address in " + string.Join(", ", entries);

    public bool Matches(ref RequestFacts facts) => networks.Contains(facts.ClientAddress);

    public string? Observe(ref RequestFacts facts) => facts.ClientAddress?.ToString();
}
