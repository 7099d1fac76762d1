namespace Gateway.Lanes.Upstream;

/// <summary>
/// What <see cref="IProxyRequestBudget.TryEnter"/> gave a proxied request: a place (then given back through
/// <see cref="IProxyRequestBudget.Exit"/>), or the reason it has none. A struct, so taking a place allocates nothing.
/// </summary>
/// <param name="Refusal">Why the request has no place; <see cref="ProxyRequestRefusal.None"/> when it has one.</param>
/// <param name="ClientSlot">The budget's own note of whose place it is (the slot the client was counted in; -1: none).</param>
internal readonly record struct ProxyRequestPlace(ProxyRequestRefusal Refusal, int ClientSlot = -1)
{
    public bool Taken => Refusal == ProxyRequestRefusal.None;
}
