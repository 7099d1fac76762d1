using System.Globalization;
using System.Text;

namespace Gateway.Routing.Clients;

/// <summary>
/// Reads a text stream line by line with bounded memory: at most <c>maxBytes</c> in all, and no line kept past
/// <c>maxLineLength</c> characters (a file without line breaks would otherwise become one huge string).
/// </summary>
internal static class BoundedLines
{
    /// <summary>Yields each line; a line over the length limit yields null. Going over <paramref name="maxBytes"/> adds a problem and stops.</summary>
    public static IEnumerable<string?> Read(Stream stream, long maxBytes, int maxLineLength, string source, List<string> errors)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024);
        var buffer = new char[16 * 1024];
        var line = new StringBuilder();
        var tooLong = false;
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (stream.Position > maxBytes)
            {
                errors.Add(source + " grew past the limit of " + maxBytes.ToString("N0", CultureInfo.InvariantCulture) + " bytes while it was read");
                yield break;
            }

            for (var i = 0; i < read; i++)
            {
                var c = buffer[i];
                if (c == '\n')
                {
                    yield return tooLong ? null : line.ToString();
                    line.Clear();
                    tooLong = false;
                }
                else if (line.Length < maxLineLength)
                {
                    line.Append(c);
                }
                else
                {
                    tooLong = true;
                }
            }
        }

        if (line.Length > 0 || tooLong)
        {
            yield return tooLong ? null : line.ToString();
        }
    }
}
