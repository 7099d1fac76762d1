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
    private const string CorrelationContext = "Correlation-Context";

    private static readonly Type s_preW3CPropagator = DistributedContextPropagator.CreatePreW3CPropagator().GetType();

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

        if (settings.BaggageKey is { } key && !OpenTelemetryBaggage.Agrees(lane, key))
        {
            return SendWithBaggageAsync(request, OpenTelemetryBaggage.Corrected(lane, key), cancellationToken);
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
    /// when there is one (and, on a traced request, the enumerator of the activity's baggage). A call without a
    /// <c>baggage</c> header of its own gets the activity's baggage from .NET's own propagation, where the middleware
    /// put the request's lane: when the activity holds a lane entry, its other entries are written here instead (an
    /// empty header when there are none), so .NET adds nothing.
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

        if (BaggageHeader.TryRewrite(headers, BaggageHeader.Name, key, laneEntry: null) && headers.NonValidated.Contains(BaggageHeader.Name))
        {
            return;
        }

        if (Activity.Current is { } activity && HasLaneItem(activity, key))
        {
            var others = default(BaggageWriter);
            AppendOtherItems(ref others, activity, key);
            headers.TryAddWithoutValidation(BaggageHeader.Name, others.IsEmpty ? string.Empty : others.Finish());
            CoverPreW3CBaggage(headers);
        }
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

        CoverPreW3CBaggage(headers);
    }

    /// <summary>
    /// .NET's pre-W3C propagator, which a service may keep (as before .NET 10), writes the activity's baggage as
    /// <c>Correlation-Context</c>, and the activity's lane entry is the request's, not the call's: the call's
    /// <c>baggage</c> is written there too, so it writes none.
    /// </summary>
    private static void CoverPreW3CBaggage(HttpRequestHeaders headers)
    {
        if (DistributedContextPropagator.Current.GetType() == s_preW3CPropagator && !headers.NonValidated.Contains(CorrelationContext))
        {
            headers.TryAddWithoutValidation(CorrelationContext,
                headers.NonValidated.TryGetValues(BaggageHeader.Name, out var value) ? value.ToString() : string.Empty);
        }
    }

    private static bool HasLaneItem(Activity activity, string key)
    {
        foreach (var (name, _) in activity.Baggage)
        {
            if (LaneWire.NamesKey(name, key))
            {
                return true;
            }
        }

        return false;
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
