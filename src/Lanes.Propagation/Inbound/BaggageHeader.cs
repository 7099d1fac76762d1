using Microsoft.Extensions.Primitives;

namespace Lanes.Propagation;

/// <summary>
/// The few operations on a W3C <c>baggage</c> header the lane needs (<c>key=value;property, key2=value2</c>), on spans.
/// </summary>
internal static class BaggageHeader
{
    /// <summary>
    /// Finds <paramref name="key"/>'s value in every line of the header. False when it is absent, or present twice
    /// with different values (a lane must be sent once).
    /// </summary>
    public static bool TryFind(StringValues header, string key, out ReadOnlySpan<char> value)
    {
        value = default;
        string? foundLine = null;
        var foundRange = default(Range);
        for (var i = 0; i < header.Count; i++)
        {
            var line = header[i] ?? "";
            var rest = line.AsSpan();
            while (!rest.IsEmpty)
            {
                var member = Next(ref rest);
                if (!TrySplit(member, out var memberKey, out var memberValue) || !memberKey.SequenceEqual(key))
                {
                    continue;
                }

                if (foundLine is not null && !memberValue.SequenceEqual(foundLine.AsSpan()[foundRange]))
                {
                    return false;
                }

                line.AsSpan().Overlaps(memberValue, out var offset);
                foundLine = line;
                foundRange = new Range(offset, offset + memberValue.Length);
            }
        }

        if (foundLine is null)
        {
            return false;
        }

        value = foundLine.AsSpan()[foundRange];
        return true;
    }

    /// <summary>Appends the entries of one header line except <paramref name="key"/>'s (in any spelling) and empty ones.</summary>
    public static void AppendOtherMembers(ref BaggageWriter writer, string line, string key)
    {
        var rest = line.AsSpan();
        while (!rest.IsEmpty)
        {
            var member = Next(ref rest);
            if (member.IsEmpty || (TrySplit(member, out var memberKey, out _) && NamesKey(memberKey, key)))
            {
                continue;
            }

            writer.AppendMember(member);
        }
    }

    /// <summary>Whether one header line has an entry under <paramref name="key"/> in any spelling.</summary>
    public static bool HasMember(string line, string key)
    {
        var rest = line.AsSpan();
        while (!rest.IsEmpty)
        {
            if (TrySplit(Next(ref rest), out var memberKey, out _) && NamesKey(memberKey, key))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when <paramref name="raw"/> reads as <paramref name="key"/> to some baggage reader: OpenTelemetry's
    /// propagators for .NET, Python and JavaScript percent-decode keys (<c>l%61ne</c>), some turn <c>+</c> into a space
    /// and trim. Compared ignoring ASCII case, decoding as it goes. The gateway's <c>BaggageKey.Names</c> is its twin (a
    /// service must not reference the gateway); a test holds the two equal.
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
            else if (c == '%' && i + 2 < raw.Length && int.TryParse(raw.Slice(i + 1, 2), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var decoded))
            {
                c = decoded;
                i += 2;
            }

            if (c <= ' ')
            {
                trailing |= matched > 0;
                continue;
            }

            if (trailing || matched == key.Length || char.ToLowerInvariant((char)c) != char.ToLowerInvariant(key[matched]) || c > 0x7F)
            {
                return false;
            }

            matched++;
        }

        return matched == key.Length;
    }

    private static ReadOnlySpan<char> Next(ref ReadOnlySpan<char> rest)
    {
        var comma = rest.IndexOf(',');
        var member = comma < 0 ? rest : rest[..comma];
        rest = comma < 0 ? default : rest[(comma + 1)..];
        return member.Trim();
    }

    private static bool TrySplit(ReadOnlySpan<char> member, out ReadOnlySpan<char> key, out ReadOnlySpan<char> value)
    {
        var equals = member.IndexOf('=');
        if (equals <= 0)
        {
            key = value = default;
            return false;
        }

        key = member[..equals].TrimEnd();
        value = member[(equals + 1)..];
        var semicolon = value.IndexOf(';');
        value = (semicolon < 0 ? value : value[..semicolon]).Trim();
        return true;
    }
}
