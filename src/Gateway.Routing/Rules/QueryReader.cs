namespace Gateway.Routing.Rules;

/// <summary>
/// Finds query parameters by their exact (case-sensitive) name in the raw query string, without building the query
/// collection, whose names ignore case. Names and values are decoded as ASP.NET Core decodes them: <c>+</c> is a space,
/// percent-escapes are UTF-8.
/// </summary>
internal static class QueryReader
{
    /// <summary>Chars a caller puts on the stack for <see cref="Decode"/>; longer escaped values are decoded into a new array.</summary>
    public const int BufferLength = 512;

    /// <summary>The parameters of a request's query string (<c>?a=1&amp;b=2</c>, or null).</summary>
    public static ReadOnlySpan<char> Start(string? queryString) =>
        string.IsNullOrEmpty(queryString) ? [] : queryString[0] == '?' ? queryString.AsSpan(1) : queryString;

    /// <summary>Moves past the next parameter called <paramref name="name"/>; its value is still encoded (see <see cref="Decode"/>).</summary>
    public static bool Next(ref ReadOnlySpan<char> remaining, string name, out ReadOnlySpan<char> rawValue)
    {
        while (!remaining.IsEmpty)
        {
            var end = remaining.IndexOf('&');
            var pair = end < 0 ? remaining : remaining[..end];
            remaining = end < 0 ? [] : remaining[(end + 1)..];
            var equals = pair.IndexOf('=');
            var rawName = equals < 0 ? pair : pair[..equals];
            if (rawName.IsEmpty || !NameEquals(rawName, name))
            {
                continue;
            }

            rawValue = equals < 0 ? [] : pair[(equals + 1)..];
            return true;
        }

        rawValue = default;
        return false;
    }

    /// <summary>Whether <paramref name="raw"/> differs from its decoded text (it has <c>%</c> escapes or <c>+</c> spaces).</summary>
    public static bool NeedsDecoding(ReadOnlySpan<char> raw) => raw.IndexOfAny('%', '+') >= 0;

    /// <summary>The decoded text: <paramref name="raw"/> itself when it has nothing to decode, else written into <paramref name="buffer"/>.</summary>
    public static ReadOnlySpan<char> Decode(ReadOnlySpan<char> raw, Span<char> buffer)
    {
        if (!NeedsDecoding(raw))
        {
            return raw;
        }

        if (raw.Length * 2 > buffer.Length)
        {
            buffer = new char[raw.Length * 2];
        }

        var plain = buffer[..raw.Length];
        raw.Replace(plain, '+', ' ');
        var decoded = buffer[raw.Length..];
        return Uri.TryUnescapeDataString(plain, decoded, out var written) ? decoded[..written] : plain;
    }

    private static bool NameEquals(ReadOnlySpan<char> rawName, string name)
    {
        if (!NeedsDecoding(rawName))
        {
            return rawName.SequenceEqual(name);
        }

        Span<char> buffer = stackalloc char[BufferLength];
        return Decode(rawName, buffer).SequenceEqual(name);
    }
}
