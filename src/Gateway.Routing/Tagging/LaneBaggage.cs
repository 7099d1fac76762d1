using System.Collections.Frozen;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace Gateway.Routing.Tagging;

/// <summary>
/// The lane as a W3C baggage entry (<c>lane=gray</c>) on a forwarded request: the entry always says the gateway's
/// decision, whatever the client sent, and the sender's other entries travel on.
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

    /// <summary>Rewrites the request's baggage: the sender's entries minus any <see cref="Key"/> entry, plus the tag's.</summary>
    public void Write(HttpRequestHeaders headers, string? tag)
    {
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
        for (var activity = Activity.Current; activity is not null; activity = activity.Parent)
        {
            RemoveLaneItems(activity);
        }

        if (tag is not null)
        {
            Activity.Current?.SetBaggage(Key, tag);
        }
    }

    /// <summary>Removes the activity's own items whose key names the lane in any spelling (<see cref="BaggageKey"/>).</summary>
    private void RemoveLaneItems(Activity activity)
    {
        List<string>? found = null;
        foreach (var item in activity.Baggage)
        {
            if (BaggageKey.Names(item.Key, Key))
            {
                (found ??= []).Add(item.Key);
            }
        }

        if (found is null)
        {
            return;
        }

        foreach (var key in found)
        {
            activity.SetBaggage(key, null);
        }
    }

    private string Merge(HeaderStringValues lines, string? tag)
    {
        var merged = new StringBuilder();
        foreach (var line in lines)
        {
            foreach (var range in line.AsSpan().Split(','))
            {
                var member = line.AsSpan()[range].Trim();
                var equals = member.IndexOf('=');
                if (member.IsEmpty || (equals > 0 && BaggageKey.Names(member[..equals], Key)))
                {
                    continue;
                }

                merged.Append(member).Append(',');
            }
        }

        if (tag is not null)
        {
            merged.Append(Key).Append('=').Append(tag);
        }
        else if (merged.Length > 0)
        {
            merged.Length--;
        }

        return merged.ToString();
    }
}
