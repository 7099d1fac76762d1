namespace Gateway.Routing.Config;

/// <summary>Whether a lane tag sent by the client is kept.</summary>
public enum IncomingTagTrust
{
    /// <summary>The client's tag header is removed before the rules run (edge gateways).</summary>
    None,

    /// <summary>The client's tag is kept and the rules are skipped (internal gateways, project environments).</summary>
    All,

    /// <summary>The client's tag is kept only when the client address is in a trusted network.</summary>
    Networks,
}
