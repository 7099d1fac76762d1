using System.Net.Http.Headers;
using Microsoft.Extensions.Primitives;

namespace Lanes.Wire;

/// <summary>
/// The few operations on a W3C <c>baggage</c> header the lane needs (<c>key=value;property, key2=value2</c>), on spans.
/// </summary>
internal static class BaggageHeader
{
    public const string Name = "baggage";

    /// <summary>
    /// Rewrites a request's baggage list <paramref name="header"/> (<c>baggage</c>, or an older format such as
    /// <c>Correlation-Context</c>): <paramref name="laneEntry"/> (<c>lane=gray</c>) first, none when null, then the
    /// header's members but any under <paramref name="key"/> (in any spelling). False, changing nothing, when the request
    /// has no such header. Allocates the new value only, and nothing when there is no lane entry to add or remove; a
    /// header left without members is removed.
    /// </summary>
    public static bool TryRewrite(HttpRequestHeaders headers, string header, string key, string? laneEntry)
    {
        if (!headers.NonValidated.TryGetValues(header, out var lines) || lines.Count == 0)
        {
            return false;
        }

        if (laneEntry is null && !HasMember(lines, key))
        {
            return true;
        }

        var others = default(BaggageWriter);
        foreach (var line in lines)
        {
            AppendOtherMembers(ref others, line, key);
        }

        headers.Remove(header);
        if (laneEntry is not null || !others.IsEmpty)
        {
            headers.TryAddWithoutValidation(header, laneEntry is null ? others.Finish() : others.IsEmpty ? laneEntry : others.Finish(laneEntry));
        }

        return true;
    }

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
            if (member.IsEmpty || (TrySplit(member, out var memberKey, out _) && LaneWire.NamesKey(memberKey, key)))
            {
                continue;
            }

            writer.AppendMember(member);
        }
    }

    /// <summary>Whether a header's lines have an entry under <paramref name="key"/> in any spelling.</summary>
    public static bool HasMember(HeaderStringValues lines, string key)
    {
        foreach (var line in lines)
        {
            if (HasMember(line, key))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether one header line has an entry under <paramref name="key"/> in any spelling.</summary>
    public static bool HasMember(string line, string key)
    {
        var rest = line.AsSpan();
        while (!rest.IsEmpty)
        {
            if (TrySplit(Next(ref rest), out var memberKey, out _) && LaneWire.NamesKey(memberKey, key))
            {
                return true;
            }
        }

        return false;
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
