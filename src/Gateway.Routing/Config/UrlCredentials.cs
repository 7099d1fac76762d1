using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace Gateway.Routing.Config;

/// <summary>
/// The user name and password of every URL in a text (<c>scheme://user:password@host/</c>), replaced. A config problem
/// quotes the value it rejects, and a rejected address may carry credentials: the log, <c>validate</c> and
/// <c>/admin/config</c> show where the problem is without them.
/// A pasted password may hold an unencoded <c>/</c>, <c>?</c>, <c>#</c>, quote or space: a URL not starting with a plain
/// host and port hides all up to its last <c>@</c>, better too much than part of a password; a plain one stays whole.
/// </summary>
public static partial class UrlCredentials
{
    public const string Redacted = "[redacted]";

    private const string SchemeSeparator = "://";

    /// <summary>Where a well-formed authority ends: its path, query or fragment, or the text around a quoted URL or a list of them.</summary>
    private static readonly SearchValues<char> AuthorityEnds = SearchValues.Create("/?#;, \t\r\n\f\v'\"");

    /// <summary>Where a URL quoted in a sentence ends.</summary>
    private static readonly SearchValues<char> UrlEnds = SearchValues.Create(" \t\r\n\f\v'\"");

    private static readonly SearchValues<char> LineEnds = SearchValues.Create("\r\n");

    /// <summary>The text with each URL's user information replaced by <see cref="Redacted"/>; the same string when there is none.</summary>
    public static string Redact(string text)
    {
        StringBuilder? redacted = null;
        var copied = 0;
        var separator = text.IndexOf(SchemeSeparator, StringComparison.Ordinal);
        while (separator >= 0)
        {
            var start = separator + SchemeSeparator.Length;
            var next = text.IndexOf(SchemeSeparator, start, StringComparison.Ordinal);
            var end = UserInformationEnd(text.AsSpan(start, (next < 0 ? text.Length : next) - start));
            if (end > 0)
            {
                redacted ??= new StringBuilder(text.Length);
                redacted.Append(text, copied, start - copied).Append(Redacted);
                copied = start + end;
            }

            separator = next;
        }

        return redacted is null ? text : redacted.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>The length of the user information at the start of <paramref name="url"/> (the text after <c>://</c>, up to the next URL), 0 when it has none.</summary>
    private static int UserInformationEnd(ReadOnlySpan<char> url)
    {
        var authority = url.IndexOfAny(AuthorityEnds) is var a and >= 0 ? url[..a] : url;
        if (PlainHostAndPort().IsMatch(authority))
        {
            return 0;
        }

        var quoted = url.IndexOfAny(UrlEnds) is var u and >= 0 ? url[..u] : url;
        var at = quoted.LastIndexOf('@');
        if (at < 0)
        {
            // Nothing but a quote or a space can have ended it early: the password goes on past it, up to its '@'.
            var line = url.IndexOfAny(LineEnds) is var l and >= 0 ? url[..l] : url;
            at = line.LastIndexOf('@');
        }

        return at < 0 ? 0 : at;
    }

    /// <summary>A host name, IPv4 or bracketed IPv6 address, or a listener's <c>*</c> / <c>+</c>, with an optional port: no user information.</summary>
    [GeneratedRegex(@"^(?:[\w.~%*+-]*|\[[0-9A-Za-z:.%_~-]*\])(?::[0-9]{0,5})?\z")]
    private static partial Regex PlainHostAndPort();
}
