using System.Diagnostics;

namespace Lanes.Wire;

/// <summary>
/// The wire rules the gateway and every service must apply alike: what a lane tag may look like, what a header name or
/// baggage key may be, and which baggage keys name the lane entry. Compiled into both Gateway.Routing and Lanes.Propagation from this one file (linked, not
/// referenced): a service must not pull in the gateway's projects, nor the gateway the service package.
/// </summary>
internal static class LaneWire
{
    /// <summary>The longest lane tag.</summary>
    public const int MaxTagLength = 64;

    /// <summary>A lane tag: 1-64 characters of <c>A-Z a-z 0-9 . _ -</c>.</summary>
    public static bool IsValidTag(ReadOnlySpan<char> tag)
    {
        if (tag.IsEmpty || tag.Length > MaxTagLength)
        {
            return false;
        }

        foreach (var c in tag)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_' && c != '.')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>An HTTP token (RFC 9110): what header names, methods, cookie names and baggage keys must be.</summary>
    public static bool IsToken(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && "!#$%&'*+-.^_`|~".IndexOf(c) < 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether a baggage member's key names <paramref name="key"/> as some reader downstream would read it. W3C keys are
    /// plain tokens, but OpenTelemetry's propagators for .NET, Python and JavaScript percent-decode keys (and some turn
    /// <c>+</c> into a space and trim), so <c>l%61ne=gray</c> arrives there as <c>lane</c>: every such spelling, in any
    /// ASCII case, is the lane entry and must not pass from an untrusted client. Decodes as it compares: no buffer.
    /// </summary>
    public static bool NamesKey(ReadOnlySpan<char> raw, string key)
    {
        var matched = 0;
        var trailing = false;
        for (var i = 0; i < raw.Length; i++)
        {
            int c = raw[i];
            if (c == '+')
            {
                c = ' ';
            }
            else if (c == '%' && i + 2 < raw.Length && HexDigit(raw[i + 1]) is var high and >= 0 && HexDigit(raw[i + 2]) is var low and >= 0)
            {
                c = (high << 4) | low;
                i += 2;
            }

            if (c <= ' ')
            {
                // Blanks may only pad the key: before its first character or after its last.
                trailing |= matched > 0;
                continue;
            }

            if (trailing || matched == key.Length || AsciiLower(c) != AsciiLower(key[matched]))
            {
                return false;
            }

            matched++;
        }

        return matched == key.Length;
    }

    /// <summary>
    /// Removes the baggage items whose key names the lane (<see cref="NamesKey"/>) from <paramref name="activity"/> and
    /// every activity above it: <see cref="Activity.Baggage"/> reads the whole chain, and .NET's own propagation writes
    /// it on every call, so an item left on a parent (the request's activity under one a middleware started) travels on.
    /// </summary>
    public static void RemoveLaneBaggage(Activity? activity, string key)
    {
        for (; activity is not null; activity = activity.Parent)
        {
            List<string>? found = null;
            foreach (var item in activity.Baggage)
            {
                if (NamesKey(item.Key, key))
                {
                    (found ??= []).Add(item.Key);
                }
            }

            if (found is null)
            {
                continue;
            }

            foreach (var name in found)
            {
                activity.SetBaggage(name, null);
            }
        }
    }

    /// <summary>
    /// Whether a header holds baggage in a format older than W3C's that a service's propagator may read instead of
    /// <c>baggage</c>: a list of <c>key=value</c> members like it. .NET's propagator (.NET 10's too) reads
    /// <c>Correlation-Context</c> when there is no <c>baggage</c> header; Jaeger's reads <c>jaeger-baggage</c>.
    /// </summary>
    public static bool IsOlderBaggageList(ReadOnlySpan<char> header) =>
        SameHeaderName(header, "Correlation-Context") || SameHeaderName(header, "jaeger-baggage");

    /// <summary>
    /// Whether a header is one whose name carries <paramref name="key"/>'s baggage entry in an older format: Jaeger's
    /// <c>uberctx-lane</c>, OpenTracing's <c>ot-baggage-lane</c>.
    /// </summary>
    public static bool IsOlderBaggageKeyHeader(ReadOnlySpan<char> header, string key) =>
        (header.Length == "uberctx-".Length + key.Length && SameHeaderName(header[.."uberctx-".Length], "uberctx-") && SameHeaderName(header["uberctx-".Length..], key))
        || (header.Length == "ot-baggage-".Length + key.Length && SameHeaderName(header[.."ot-baggage-".Length], "ot-baggage-") && SameHeaderName(header["ot-baggage-".Length..], key));

    /// <summary>
    /// Header names that read as the same name to a backend: CGI and WSGI environments (and frameworks and proxies
    /// modelled on them) turn <c>-</c> into <c>_</c> and ignore case, so <c>x_mse_tag</c> arrives there as <c>x-mse-tag</c>.
    /// </summary>
    public static bool SameHeaderName(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (HeaderChar(a[i]) != HeaderChar(b[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static int HeaderChar(char c) => c == '_' ? '-' : AsciiLower(c);

    private static int AsciiLower(int c) => c is >= 'A' and <= 'Z' ? c + 32 : c;

    private static int HexDigit(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
