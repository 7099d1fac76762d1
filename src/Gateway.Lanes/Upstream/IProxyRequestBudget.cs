using Microsoft.AspNetCore.Http;

namespace Gateway.Lanes.Upstream;

/// <summary>
/// A bound on proxied requests in flight, kept by the host (its open-file budget: each such request may hold a
/// backend connection), in total and per client. The lane telemetry middleware takes a place for every proxied
/// request; without a budget there is no bound.
/// </summary>
internal interface IProxyRequestBudget
{
    /// <summary>Takes a place for the request; when none is left for it, the request is answered 503 and never proxied.</summary>
    ProxyRequestPlace TryEnter(HttpContext context);

    /// <summary>Gives a place taken by <see cref="TryEnter"/> back.</summary>
    void Exit(ProxyRequestPlace place);
}
