using System.Text.RegularExpressions;

namespace Gateway.Routing.Config;

/// <summary>
/// The user name and password of every URL in a text (<c>scheme://user:password@host/</c>), replaced. A config problem
/// quotes the value it rejects, and a rejected address may carry credentials: the log, <c>validate</c> and
/// <c>/admin/config</c> show where the problem is without them.
/// </summary>
public static partial class UrlCredentials
{
    public const string Redacted = "[redacted]";

    /// <summary>The text with each URL's user information replaced by <see cref="Redacted"/>; the same string when there is none.</summary>
    public static string Redact(string text) => UserInformation().Replace(text, Redacted);

    /// <summary>After <c>://</c>, up to the authority's last <c>@</c>: a password may itself hold an <c>@</c>.</summary>
    [GeneratedRegex("""(?<=://)[^/?#'" \t\r\n]*(?=@)""")]
    private static partial Regex UserInformation();
}
