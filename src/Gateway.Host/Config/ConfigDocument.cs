using System.Security.Cryptography;
using System.Text.Json;
using Gateway.Routing.Config;

namespace Gateway.Host.Config;

/// <summary>
/// A config file's parsed JSON: comments and trailing commas allowed (a key written twice is refused where the parts
/// are read, with its path). Only
/// the document is kept; routes, clusters and lane groups are read from it and compared with the next one by their text.
/// </summary>
internal sealed class ConfigDocument
{
    private static readonly JsonDocumentOptions JsonOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private readonly JsonDocument _document;

    private ConfigDocument(JsonDocument document, string revision)
    {
        _document = document;
        Revision = revision;
    }

    /// <summary>A short hash of the file's bytes: the same file gets the same revision on every replica.</summary>
    public string Revision { get; }

    public JsonElement Root => _document.RootElement;

    /// <summary>Parses config bytes; JSON that does not parse is one problem at its 1-based line and column, as editors count them.</summary>
    public static ConfigDocument? Parse(byte[] content, string description, List<ConfigProblem> problems)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(content, JsonOptions);
        }
        catch (JsonException ex)
        {
            var at = ex.LineNumber is { } line ? "line " + (line + 1) + ", column " + ((ex.BytePositionInLine ?? 0) + 1) + ": " : "";
            problems.Add(new ConfigProblem(description, at + ConfigJson.Clean(ex.Message)));
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

    /// <summary>A top-level section (names are case-insensitive), or an undefined element.</summary>
    public JsonElement Section(string name) => ConfigJson.Child(Root, name);

    /// <summary>
    /// Gives the document's pooled index back, after which nothing may read it. The config watcher calls it for a
    /// config that failed or that a newer one replaced, being the only holder of such a document.
    /// </summary>
    public void Release() => _document.Dispose();
}
