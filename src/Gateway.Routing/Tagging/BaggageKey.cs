namespace Gateway.Routing.Tagging;

/// <summary>
/// Whether a baggage member's key names the lane entry as some reader downstream would read it. W3C keys are plain
/// tokens, but OpenTelemetry's propagators for .NET, Python and JavaScript percent-decode keys (and some turn
/// <c>+</c> into a space and trim), so <c>l%61ne=gray</c> arrives there as <c>lane</c>: every such spelling, in any
/// ASCII case, is the lane entry and must not pass from an untrusted client.
/// </summary>
internal static class BaggageKey
{
    /// <summary>
    /// True when <paramref name="raw"/>, percent-decoded (<c>+</c> as a space), without leading and trailing control
    /// characters and spaces, equals <paramref name="key"/> ignoring ASCII case. Decodes as it compares: no buffer.
    /// </summary>
    public static bool Names(ReadOnlySpan<char> raw, string key)
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
            else if (c == '%' && i + 2 < raw.Length && TryHex(raw[i + 1], raw[i + 2], out var decoded))
            {
                c = decoded;
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

    private static int AsciiLower(int c) => c is >= 'A' and <= 'Z' ? c + 32 : c;

    private static bool TryHex(char high, char low, out int value)
    {
        var h = HexDigit(high);
        var l = HexDigit(low);
        value = (h << 4) | l;
        return h >= 0 && l >= 0;
    }

    private static int HexDigit(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
