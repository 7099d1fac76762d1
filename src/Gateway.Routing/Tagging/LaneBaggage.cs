using System.Collections.Frozen;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
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
    public const string Header = "baggage";

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
        RemoveFromOtherFormats(headers);
        if (headers.NonValidated.TryGetValues(Header, out var lines) && lines.Count > 0)
        {
            var merged = Merge(lines, tag);
            headers.Remove(Header);
            if (merged.Length > 0)
            {
                headers.TryAddWithoutValidation(Header, merged);
            }
        }
        else if (tag is not null)
        {
            headers.TryAddWithoutValidation(Header, _entries.TryGetValue(tag, out var entry) ? entry : Key + "=" + tag);
        }

        // With tracing on, the forwarder replaces the header with the activities' baggage, which ASP.NET Core filled
        // from the client's: the entry is corrected there too, on every activity up the chain.
        LaneWire.RemoveLaneBaggage(Activity.Current, Key);

        if (tag is not null)
        {
            Activity.Current?.SetBaggage(Key, tag);
        }
    }

    /// <summary>
    /// Removes the lane entry from the older baggage formats (see the class summary), in every spelling of their names
    /// (<see cref="HeaderSpellings"/>). Only names are compared; a list is made only when such a header is found.
    /// </summary>
    private void RemoveFromOtherFormats(HttpRequestHeaders headers)
    {
        List<string>? found = null;
        foreach (var header in headers.NonValidated)
        {
            if (IsList(header.Key) || IsKeyHeader(header.Key))
            {
                (found ??= []).Add(header.Key);
            }
        }

        if (found is null)
        {
            return;
        }

        foreach (var name in found)
        {
            if (IsKeyHeader(name))
            {
                headers.Remove(name);
            }
            else if (headers.NonValidated.TryGetValues(name, out var lines) && HasLaneMember(lines))
            {
                var others = new StringBuilder();
                AppendOthers(others, lines);
                headers.Remove(name);
                if (others.Length > 0)
                {
                    others.Length--;
                    headers.TryAddWithoutValidation(name, others.ToString());
                }
            }
        }
    }

    private static bool IsList(string name) => LaneWire.IsOlderBaggageList(name);

    private bool IsKeyHeader(string name) => LaneWire.IsOlderBaggageKeyHeader(name, Key);

    private bool HasLaneMember(HeaderStringValues lines)
    {
        foreach (var line in lines)
        {
            foreach (var range in line.AsSpan().Split(','))
            {
                if (IsLaneMember(line.AsSpan()[range].Trim()))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private bool IsLaneMember(ReadOnlySpan<char> member) => member.IndexOf('=') is var equals and > 0 && LaneWire.NamesKey(member[..equals], Key);

    /// <summary>Appends each member that is not the lane's, each followed by a comma.</summary>
    private void AppendOthers(StringBuilder merged, HeaderStringValues lines)
    {
        foreach (var line in lines)
        {
            foreach (var range in line.AsSpan().Split(','))
            {
                var member = line.AsSpan()[range].Trim();
                if (member.IsEmpty || IsLaneMember(member))
                {
                    continue;
                }

                merged.Append(member).Append(',');
            }
        }
    }

    /// <summary>
    /// The lane's entry first: baggage readers stop after 180 members or 8192 characters (OpenTelemetry's, .NET's before
    /// .NET 10), so an entry after a long baggage of the sender's would be lost.
    /// </summary>
    private string Merge(HeaderStringValues lines, string? tag)
    {
        var merged = new StringBuilder();
        if (tag is not null)
        {
            merged.Append(Key).Append('=').Append(tag).Append(',');
        }

        AppendOthers(merged, lines);
        if (merged.Length > 0)
        {
            merged.Length--;
        }

        return merged.ToString();
    }
}
