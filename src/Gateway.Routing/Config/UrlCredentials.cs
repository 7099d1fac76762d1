namespace Gateway.Routing.Config;

/// <summary>
/// The user name and password of every URL in a text (<c>scheme://user:password@host/</c>), replaced. A config problem
/// quotes the value it rejects, and a rejected address may carry credentials: the log, <c>validate</c> and
/// <c>/admin/config</c> show where the problem is without them.
/// </summary>
public static class UrlCredentials
{
    public const string Redacted = "[redacted]";

    /// <summary>The text with each URL's user information replaced by <see cref="Redacted"/>; the same string when there is none.</summary>
    public static string Redact(string text)
    {
        var from = 0;
        while (from < text.Length)
        {
            var scheme = text.IndexOf("://", from, StringComparison.Ordinal);
            if (scheme < 0)
            {
                break;
            }

            var authority = scheme + 3;
            var end = text.AsSpan(authority).IndexOfAny("/?#'\" \t\r\n");
            end = end < 0 ? text.Length : authority + end;
            var at = text.AsSpan(authority, end - authority).LastIndexOf('@');
            if (at >= 0 && !text.AsSpan(authority, at).SequenceEqual(Redacted))
            {
                text = string.Concat(text.AsSpan(0, authority), Redacted, text.AsSpan(authority + at));
                end = authority + Redacted.Length + (end - authority - at);
            }

            from = end;
        }

        return text;
    }
}
