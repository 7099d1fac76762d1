using System.Net;
using System.Text;
using Microsoft.Extensions.ServiceDiscovery;
using Lanes.Wire;

namespace Lanes.Propagation;

/// <summary>
/// Sends a call to a logical service (<c>http://payments/...</c>) to an instance of the caller's lane when the service
/// has a usable one (the named endpoint <c>_gray</c>), else to its baseline with the tag kept, or answers 503 for a
/// <c>Reject</c> service. An endpoint that refuses the connection is skipped. Calls to IP addresses pass untouched.
/// </summary>
internal sealed class LaneRoutingHandler(ServiceEndpointResolver resolver, LaneSettings settings, LanesMetrics metrics, LaneTargets targets)
    : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var original = request.RequestUri;
        if (original is null || !original.IsAbsoluteUri || original.HostNameType != UriHostNameType.Dns)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var target = targets.For(original);
        var service = settings.ServiceLabel(target.Service);
        var state = settings.CarriesLaneTo(original) ? LaneContext.State : null;
        try
        {
            // A call is counted once its destination is decided, before it is sent: a call that fails because every
            // instance is down is still a call to that service, and the one an operator most needs to see.
            if (state is null)
            {
                metrics.Call(service, LaneWireNames.Baseline, LaneCallDecision.Baseline);
                return (await SendToAsync(request, original, target, target.Baseline, service, cancellationToken).ConfigureAwait(false))!;
            }

            var lane = target.Lane(state.Lane);
            var laneLabel = settings.LaneLabel(state.Lane);
            var decision = LaneCallDecision.Fallback;
            if (await Deployed(lane, target.Service, cancellationToken).ConfigureAwait(false))
            {
                HttpResponseMessage? served;
                try
                {
                    served = await SendToAsync(request, original, target, lane, service, cancellationToken, throwWhenAllRefuse: false).ConfigureAwait(false);
                }
                catch
                {
                    metrics.Call(service, laneLabel, LaneCallDecision.Lane);
                    throw;
                }

                if (served is not null)
                {
                    metrics.Call(service, laneLabel, LaneCallDecision.Lane);
                    CheckServedLane(served, state);
                    return served;
                }

                decision = LaneCallDecision.Escaped;
            }

            if (settings.FallbackFor(target.Service) == LaneFallback.Reject)
            {
                metrics.Call(service, laneLabel, LaneCallDecision.Rejected);
                return Reject(request, state.Lane, target.Service);
            }

            metrics.Call(service, laneLabel, decision);
            var baseline = await SendToAsync(request, original, target, target.Baseline, service, cancellationToken).ConfigureAwait(false);
            if (decision == LaneCallDecision.Escaped)
            {
                state.Escape(LaneWireNames.Baseline);
            }
            else
            {
                CheckServedLane(baseline!, state);
            }

            return baseline!;
        }
        finally
        {
            request.RequestUri = original;
        }
    }

    private async ValueTask<bool> Deployed(EndpointSet lane, string service, CancellationToken cancellationToken)
    {
        var endpoints = (await resolver.GetEndpointsAsync(lane.Query, cancellationToken).ConfigureAwait(false)).Endpoints;
        for (var i = 0; i < endpoints.Count; i++)
        {
            if (!EndpointAddress.IsPassThrough(endpoints[i], service))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Tries the set's endpoints in round-robin order, skipping those that refuse the connection (nothing was sent).
    /// Null when all refused and <paramref name="throwWhenAllRefuse"/> is false.
    /// </summary>
    private async Task<HttpResponseMessage?> SendToAsync(HttpRequestMessage request, Uri original, ServiceTarget target, EndpointSet set,
        string service, CancellationToken cancellationToken, bool throwWhenAllRefuse = true)
    {
        var endpoints = (await resolver.GetEndpointsAsync(set.Query, cancellationToken).ConfigureAwait(false)).Endpoints;
        var start = set.Start(endpoints.Count);
        for (var i = 0; i < endpoints.Count; i++)
        {
            var endpoint = endpoints[(start + i) % endpoints.Count];
            if (set != target.Baseline && EndpointAddress.IsPassThrough(endpoint, target.Service))
            {
                continue;
            }

            request.RequestUri = EndpointAddress.Rewrite(original, endpoint);
            try
            {
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConnectionError)
            {
                metrics.Refused(service, settings.LaneLabel(set.Lane));
                if (throwWhenAllRefuse && i == endpoints.Count - 1)
                {
                    throw;
                }
            }
        }

        return throwWhenAllRefuse ? throw new HttpRequestException("no endpoint of " + set.Query + " to call") : null;
    }

    /// <summary>An escape further down: the callee reports another lane than the request's.</summary>
    private void CheckServedLane(HttpResponseMessage response, LaneRequestState state)
    {
        if (settings.ServedLaneHeader is not { } header || !response.Headers.NonValidated.TryGetValues(header, out var values))
        {
            return;
        }

        foreach (var reported in values)
        {
            if (reported != state.Lane && LaneWire.IsValidTag(reported))
            {
                state.Escape(reported);
            }

            break;
        }
    }

    private static HttpResponseMessage Reject(HttpRequestMessage request, string lane, string service) =>
        new(HttpStatusCode.ServiceUnavailable)
        {
            RequestMessage = request,
            Content = new StringContent(
                "{\"error\":\"lane_unavailable\",\"lane\":\"" + lane + "\",\"service\":\"" + service + "\"}", Encoding.UTF8, "application/json"),
        };
}
