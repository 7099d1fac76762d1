namespace Gateway.Lanes.Upstream;

/// <summary>Why <see cref="IProxyRequestBudget"/> gave a proxied request no place.</summary>
internal enum ProxyRequestRefusal
{
    /// <summary>Not refused: the request has its place.</summary>
    None,

    /// <summary>Every place is taken: answered 503 <c>gateway_overloaded</c>.</summary>
    Overloaded,

    /// <summary>The request's client holds as many places as one client may: answered 503 <c>client_overloaded</c>.</summary>
    ClientOverloaded,
}
