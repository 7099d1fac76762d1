using System.Globalization;

namespace Gateway.Routing.Config;

/// <summary>
/// One thing wrong with a config, located by its path (<c>Lanes:Groups:trade:Lanes[2]:Percentage</c>). A message that
/// quotes a URL never shows its user name and password (<see cref="UrlCredentials"/>). A path or message past
/// <see cref="MaxLength"/> characters (a 16 MB key or regex quoted back) is cut there, so one problem cannot fill a log.
/// </summary>
public sealed record ConfigProblem(string Path, string Message)
{
    public const int MaxLength = 1_000;

    public string Path { get; } = Shorten(Path);

    public string Message { get; } = Shorten(UrlCredentials.Redact(Message));

    public override string ToString() => Path + ": " + Message;

    /// <summary>Keeps both ends: a path ends with the key at fault, a message with what to do.</summary>
    private static string Shorten(string text)
    {
        if (text.Length <= MaxLength)
        {
            return text;
        }

        var head = char.IsHighSurrogate(text[(MaxLength / 2) - 1]) ? (MaxLength / 2) - 1 : MaxLength / 2;
        var tail = char.IsLowSurrogate(text[^(MaxLength / 2)]) ? (MaxLength / 2) - 1 : MaxLength / 2;
        var cut = (text.Length - head - tail).ToString("N0", CultureInfo.InvariantCulture);
        return string.Concat(text.AsSpan(0, head), "... (" + cut + " characters) ...", text.AsSpan(text.Length - tail));
    }
}
