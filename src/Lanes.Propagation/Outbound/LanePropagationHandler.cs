using System.Diagnostics;
using System.Net.Http.Headers;

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

        string baggage;
        if (headers.NonValidated.TryGetValues(LaneWireNames.BaggageHeader, out var lines) && lines.Count > 0)
        {
            baggage = BaggageHeader.Merge(lines, key, lane);
            headers.Remove(LaneWireNames.BaggageHeader);
        }
        else
        {
            // With the header set here, .NET's own propagation adds no baggage of its own: carry the activity's on.
            baggage = OtherActivityBaggage(key) is { } other ? BaggageHeader.Merge([other], key, lane) : settings.BaggageEntry(lane);
        }

        headers.TryAddWithoutValidation(LaneWireNames.BaggageHeader, baggage);
    }

    private static string? OtherActivityBaggage(string key)
    {
        if (Activity.Current is not { } activity)
        {
            return null;
        }

        List<string>? entries = null;
        foreach (var (name, value) in activity.Baggage)
        {
            if (!BaggageHeader.NamesKey(name, key) && value is not null)
            {
                (entries ??= []).Add(Uri.EscapeDataString(name) + "=" + Uri.EscapeDataString(value));
            }
        }

        return entries is null ? null : string.Join(',', entries);
    }
}
