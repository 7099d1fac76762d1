using Gateway.Routing.Clients;
using Gateway.Routing.Config;

namespace Gateway.Routing.Rules;

/// <summary>Matches when the client address (see <see cref="ClientAddressResolver"/>) is in one of the networks.</summary>
public sealed class ClientNetworkRule(NetworkList networks, IEnumerable<string> entries) : IRule, IConditionRule<string>
{
    public string Key { get; } = "networks:" + string.Join("\u0001", entries.Select(e => e.Trim()).Order(StringComparer.OrdinalIgnoreCase));

    public string Description { get; } = "client address in " + string.Join(", ", entries);

    public bool Matches(ref RequestFacts facts) => networks.Contains(facts.ClientAddress);

    public string? Observe(ref RequestFacts facts) => facts.ClientAddress?.ToString();

    public static void Compile(List<string> entries, ConditionSite site, List<IRule> rules) =>
        rules.Add(new ClientNetworkRule(NetworkList.Compile(entries, site.Path.ToString(), site.Reader), entries));
}
