using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;
using System.Text.Json;
using Gateway.Routing.Config;

namespace Gateway.Host.Config;

/// <summary>
/// A config file's parsed JSON: comments and trailing commas allowed (a key written twice is refused where the parts
/// are read, with its path). Only the document is kept; routes, clusters and lane groups are read from it and compared
/// with the next one by their text.
/// </summary>
internal sealed class ConfigDocument(JsonDocument document, string revision)
{
    private static readonly JsonDocumentOptions JsonOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>A short hash of the file's bytes: the same file gets the same revision on every replica.</summary>
    public string Revision => revision;

    public JsonElement Root => document.RootElement;

    /// <summary>Parses config bytes; JSON that does not parse is one problem at its 1-based line and column, as editors count them.</summary>
    public static ConfigDocument? Parse(byte[] content, string description, List<ConfigProblem> problems)
    {
        // Editors on Windows save UTF-8 with a byte order mark, which the JSON reader refuses and AddJsonFile skips.
        var json = content.AsMemory();
        if (json.Span.StartsWith("\uFEFF"u8))
        {
            json = json[3..];
        }

        // The reader checks UTF-8 only in the strings something later asks for, and then throws outside any config check.
        if (!Utf8.IsValid(json.Span))
        {
            problems.Add(new ConfigProblem(description, InvalidUtf8(json.Span)));
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            var at = ex.LineNumber is { } line ? Position(json.Span, Offset(json.Span, line, ex.BytePositionInLine ?? 0)) + ": " : "";
            problems.Add(new ConfigProblem(description, at + ConfigJson.Clean(ex.Message)));
            return null;
        }

        if (LoneSurrogate(json.Span) is { } surrogate)
        {
            problems.Add(new ConfigProblem(description, Position(json.Span, surrogate)
                + ": a string holds half of a UTF-16 surrogate pair (an escape \\ud800-\\udfff without its other half), which is not text"));
            document.Dispose();
            return null;
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new ConfigProblem(description, "the top-level JSON element must be an object, found " + document.RootElement.ValueKind));
            document.Dispose();
            return null;
        }

        return new ConfigDocument(document, Convert.ToHexStringLower(SHA256.HashData(content))[..12]);
    }

    /// <summary>Where the first byte that is not UTF-8 is, counted from 1 as the syntax errors are.</summary>
    private static string InvalidUtf8(ReadOnlySpan<byte> json)
    {
        var at = 0;
        while (Rune.DecodeFromUtf8(json[at..], out _, out var length) == OperationStatus.Done)
        {
            at += length;
        }

        return Position(json, at) + ": not UTF-8 text (save the file as UTF-8)";
    }

    /// <summary>
    /// Where the first string escaping half a surrogate pair (<c>"\ud800"</c>) starts. That is valid JSON syntax, and the
    /// reader throws only when something asks for the string: past every check, stopping `validate` and start-up.
    /// </summary>
    private static int? LoneSurrogate(ReadOnlySpan<byte> json)
    {
        // Surrogates are \uD800-\uDFFF: a file whose escapes are all others (\u00e9) is not read twice.
        if (json.IndexOf(@"\ud"u8) < 0 && json.IndexOf(@"\uD"u8) < 0)
        {
            return null;
        }

        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped && reader.ValueSpan.IndexOf(@"\u"u8) >= 0)
            {
                try
                {
                    reader.GetString();
                }
                catch (InvalidOperationException)
                {
                    return (int)reader.TokenStartIndex;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// A position as editors show it, counted from 1: a line ends at LF, CRLF or a lone CR (the reader counts LF only,
    /// so an old Mac file's error was always on line 1), and a column counts characters, not the bytes the reader counts
    /// (a Chinese comment before the error put it two columns right per character).
    /// </summary>
    private static string Position(ReadOnlySpan<byte> json, int at)
    {
        var before = json[..at];
        var lineStart = before.LastIndexOfAny((byte)'\n', (byte)'\r') + 1;
        var line = before.Count((byte)'\n') + before.Count((byte)'\r') - before.Count("\r\n"u8) + 1;
        return "line " + line + ", column " + (Encoding.UTF8.GetCharCount(before[lineStart..]) + 1);
    }

    /// <summary>The byte offset of the reader's 0-based line (counted in LFs) and byte in that line.</summary>
    private static int Offset(ReadOnlySpan<byte> json, long line, long byteInLine)
    {
        var start = 0;
        for (var i = 0; i < line && json[start..].IndexOf((byte)'\n') is var next and >= 0; i++)
        {
            start += next + 1;
        }

        return (int)Math.Min(start + byteInLine, json.Length);
    }

    /// <summary>A top-level section (names are case-insensitive), or an undefined element.</summary>
    public JsonElement Section(string name) => ConfigJson.Child(Root, name);

    /// <summary>
    /// Gives the document's pooled index back, after which nothing may read it. The config watcher calls it for a
    /// config that failed or that a newer one replaced, being the only holder of such a document.
    /// </summary>
    public void Release() => document.Dispose();
}
