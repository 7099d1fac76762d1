using System.Diagnostics;
using System.Net.Http.Headers;
using Lanes.Wire;

namespace Lanes.Propagation;

/// <summary>
/// Every <see cref="IHttpClientFactory"/> client's outermost handler: stamps the current lane as the tag header and a
/// baggage entry (merged with the baggage already on the request or on the current activity).
/// </summary>
internal sealed class LanePropagationHandler(LaneSettings settings) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (LaneContext.State is { } state)
        {
            Stamp(request.Headers, state.Lane, settings);
        }

        return base.SendAsync(request, cancellationToken);
    }

    internal static void Stamp(HttpRequestHeaders headers, string lane, LaneSettings settings)
    {
        if (settings.TagHeader is { } tagHeader)
        {
            headers.Remove(tagHeader);
            headers.TryAddWithoutValidation(tagHeader, lane);
        }

        if (settings.BaggageKey is not { } key)
        {
            return;
        }

        var others = default(BaggageWriter);
        if (headers.NonValidated.TryGetValues(LaneWireNames.BaggageHeader, out var lines) && lines.Count > 0)
        {
            foreach (var line in lines)
            {
                BaggageHeader.AppendOtherMembers(ref others, line, key);
            }

            headers.Remove(LaneWireNames.BaggageHeader);
        }
        else if (Activity.Current is { } activity)
        {
            // With the header set here, .NET's own propagation adds no baggage of its own: carry the activity's on.
            foreach (var (name, value) in activity.Baggage)
            {
                if (value is not null && !LaneWire.NamesKey(name, key))
                {
                    others.AppendEscaped(name, value);
                }
            }
        }

        headers.TryAddWithoutValidation(LaneWireNames.BaggageHeader, others.IsEmpty ? settings.BaggageEntry(lane) : others.Finish(settings.BaggageEntry(lane)));
    }
}
