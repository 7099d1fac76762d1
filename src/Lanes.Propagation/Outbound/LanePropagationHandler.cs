using System.Diagnostics;
using System.Net.Http.Headers;
using Lanes.Wire;

namespace Lanes.Propagation;

/// <summary>
/// In every <see cref="IHttpClientFactory"/> client, after the service's own handlers (<see cref="LaneHandlerFilter"/>):
/// stamps the current lane as the tag header and a baggage entry (merged with the baggage already on the request or on
/// the current activity). A call outside any lane carries none: a tag or lane entry the service's own code put on it
/// (in <c>baggage</c> or an older format) is removed, since it may be copied from a caller the service does not trust
/// (a hand-written header copy, ASP.NET Core's header propagation), and the services behind, trusting this one, would
/// take it.
/// </summary>
internal sealed class LanePropagationHandler(LaneSettings settings) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var lane = settings.CarriesLaneTo(request.RequestUri) ? LaneContext.State?.Lane : null;
        if (lane is not null)
        {
            Stamp(request.Headers, lane, settings);
        }
        else
        {
            Clear(request.Headers, settings);
        }

        if (settings.BaggageKey is { } key)
        {
            if (Activity.Current is not null)
            {
                // .NET writes the activity's baggage, the request's lane in it, where the call lacks it or is redirected.
                request.Options.Set(LaneCallPropagator.CallKey, new LaneCall(key, lane is null ? null : settings.BaggageEntry(lane)));
            }

            if (!OpenTelemetryBaggage.Agrees(lane, key))
            {
                return SendWithBaggageAsync(request, OpenTelemetryBaggage.Corrected(lane, key), cancellationToken);
            }
        }

        return base.SendAsync(request, cancellationToken);
    }

    /// <summary>
    /// Sends with OpenTelemetry's baggage corrected for this call only: set inside an async method, the change is
    /// undone for the caller when it returns.
    /// </summary>
    private async Task<HttpResponseMessage> SendWithBaggageAsync(HttpRequestMessage request, OpenTelemetry.Baggage baggage, CancellationToken cancellationToken)
    {
        OpenTelemetry.Baggage.Current = baggage;
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Removes the tag header and the baggage's lane entry (in any spelling, in the older formats too); allocates only
    /// when there is one. What .NET writes from the activity is corrected by <see cref="LaneCallPropagator"/>.
    /// </summary>
    internal static void Clear(HttpRequestHeaders headers, LaneSettings settings)
    {
        if (settings.TagHeader is { } tagHeader)
        {
            headers.Remove(tagHeader);
        }

        CopiedLaneHeaders.Remove(headers, settings.TagHeader, settings.BaggageKey);
        if (settings.BaggageKey is not { } key)
        {
            return;
        }

        BaggageHeader.TryRewrite(headers, BaggageHeader.Name, key, laneEntry: null);
    }

    internal static void Stamp(HttpRequestHeaders headers, string lane, LaneSettings settings)
    {
        CopiedLaneHeaders.Remove(headers, settings.TagHeader, settings.BaggageKey);
        if (settings.TagHeader is { } tagHeader)
        {
            headers.Remove(tagHeader);
            headers.TryAddWithoutValidation(tagHeader, lane);
        }

        if (settings.BaggageKey is not { } key)
        {
            return;
        }

        if (!BaggageHeader.TryRewrite(headers, BaggageHeader.Name, key, settings.BaggageEntry(lane)))
        {
            // With the header set here, .NET's own propagation adds no baggage of its own: carry the activity's on.
            var others = default(BaggageWriter);
            if (Activity.Current is { } activity)
            {
                AppendOtherItems(ref others, activity, key);
            }

            headers.TryAddWithoutValidation(BaggageHeader.Name, others.IsEmpty ? settings.BaggageEntry(lane) : others.Finish(settings.BaggageEntry(lane)));
        }
    }

    /// <summary>Appends the activity's baggage items (its parents' included) but the lane's, as .NET's propagator writes them.</summary>
    private static void AppendOtherItems(ref BaggageWriter others, Activity activity, string key)
    {
        foreach (var (name, value) in activity.Baggage)
        {
            if (value is not null && !LaneWire.NamesKey(name, key))
            {
                others.AppendEscaped(name, value);
            }
        }
    }
}
