namespace Gateway.Lanes.Upstream;

/// <summary>
/// A bound on proxied requests in flight, kept by the host (its open-file budget: each such request may hold a
/// backend connection). The lane telemetry middleware takes a place for every proxied request; without a budget there
/// is no bound.
/// </summary>
internal interface IProxyRequestBudget
{
    /// <summary>Takes a place; false when none is left, and the request is then answered 503 and never proxied.</summary>
    bool TryEnter();

    /// <summary>Gives a place taken by <see cref="TryEnter"/> back.</summary>
    void Exit();
}
