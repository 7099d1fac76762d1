using System.Collections.Frozen;
using System.Diagnostics;
using System.Net.Http.Headers;
using Lanes.Wire;

namespace Gateway.Routing.Tagging;

/// <summary>
/// The lane as a W3C baggage entry (<c>lane=gray</c>) on a forwarded request: the entry always says the gateway's
/// decision, whatever the client sent, and the sender's other entries travel on. Baggage also travels in older
/// formats that a service's propagator may read instead: .NET's (.NET 10's too) reads <c>Correlation-Context</c> when
/// there is no <c>baggage</c> header, Jaeger's <c>jaeger-baggage</c> and <c>uberctx-{key}</c>, OpenTracing's
/// <c>ot-baggage-{key}</c> (<see cref="LaneWire.IsOlderBaggageList"/>, shared with the services' package). A client's
/// lane entry is removed from those too.
/// </summary>
public sealed class LaneBaggage
{
    public const string Header = BaggageHeader.Name;

    private readonly FrozenDictionary<string, string> _entries;

    public LaneBaggage(string key, IEnumerable<string> tags)
    {
        Key = key;
        _entries = tags.ToFrozenDictionary(t => t, t => key + "=" + t, StringComparer.Ordinal);
    }

    public string Key { get; }

    /// <summary>Rewrites the request's baggage: the tag's entry, then the sender's entries minus any <see cref="Key"/> entry.</summary>
    public void Write(HttpRequestHeaders headers, string? tag)
    {
        CopiedLaneHeaders.Remove(headers, tagHeader: null, Key);
        var entry = tag is null ? null : _entries.TryGetValue(tag, out var known) ? known : Key + "=" + tag;
        if (!BaggageHeader.TryRewrite(headers, Header, Key, entry) && entry is not null)
        {
            headers.TryAddWithoutValidation(Header, entry);
        }

        // With tracing on, the forwarder replaces the header with the activities' baggage, which ASP.NET Core filled
        // from the client's: the entry is corrected there too, on every activity up the chain.
        LaneWire.RemoveLaneBaggage(Activity.Current, Key);

        if (tag is not null)
        {
            Activity.Current?.SetBaggage(Key, tag);
        }
    }
}
