using Gateway.Routing.Clients;

namespace Gateway.Routing.Rules;

/// <summary>One compiled, immutable condition of a lane.</summary>
public interface IRule
{
    /// <summary>A canonical text of the condition: two rules with the same key match the same requests.</summary>
    string Key { get; }

    bool Matches(ref RequestFacts facts);
}
