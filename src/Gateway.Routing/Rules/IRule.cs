using Gateway.Routing.Clients;

namespace Gateway.Routing.Rules;

/// <summary>One compiled, immutable condition of a lane.</summary>
public interface IRule
{
    /// <summary>A canonical text of the condition: two rules with the same key match the same requests.</summary>
    string Key { get; }

    /// <summary>The condition in words, for explain output: <c>header x-user-id Exact 1001, 1002</c>.</summary>
    string Description { get; }

    bool Matches(ref RequestFacts facts);

    /// <summary>The request's value this condition looks at, for explain output (may allocate; never on the hot path).</summary>
    string? Observe(ref RequestFacts facts);
}
