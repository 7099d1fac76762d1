using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Routing.Config;

namespace Gateway.Host.Admin;

/// <summary>
/// The config file as <c>/admin/config</c> shows it: parsed as plain JSON (independent of how the gateway reads it),
/// with every secret replaced by <see cref="Redacted"/>. A secret is the value of a key named like a token, password,
/// secret, API key, connection string, credential, private key or authorization (case, '-', '_' and '.' ignored);
/// the values set for or matched against a header or parameter so named, or <c>Cookie</c> and <c>Set-Cookie</c> (a
/// transform that sets <c>Authorization</c>, a rule on <c>X-Api-Key</c>); any value that reads as a credential under
/// any key (<c>Bearer ...</c>, <c>Basic ...</c>, <c>...;Password=...</c>); and the user name and password in a URL.
/// </summary>
internal static class ConfigRedactor
{
    public const string Redacted = UrlCredentials.Redacted;

    private static readonly string[] SecretWords = ["token", "password", "passwd", "secret", "apikey", "connectionstring", "authorization", "credential", "privatekey"];

    /// <summary>Headers that carry credentials although their names say nothing of it (a session cookie).</summary>
    private static readonly string[] CredentialHeaders = ["cookie", "setcookie"];

    /// <summary>Credentials recognisable by their value wherever they are (a free-form <c>Metadata</c> entry).</summary>
    private static readonly string[] CredentialPrefixes = ["Bearer ", "Basic ", "Digest "];

    private static readonly string[] CredentialParts = ["password=", "pwd="];

    /// <summary>Keys whose value names a header or parameter; the rest of their object is what is sent or matched.</summary>
    private static readonly string[] NamingKeys = ["RequestHeader", "ResponseHeader", "ResponseTrailer", "QueryValueParameter", "Name"];

    private static readonly JsonDocumentOptions Lenient = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>The redacted config, or null when the content is not a JSON document (the gateway would not have applied it).</summary>
    public static JsonElement? Redact(byte[] content)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(content, documentOptions: Lenient);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            return null;
        }

        Walk(root);
        return root is null ? null : JsonSerializer.SerializeToElement(root);
    }

    private static void Walk(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var namesSecret = NamesASecret(obj, out var namingKey);
                foreach (var (key, value) in obj.ToList())
                {
                    if (value is not null && (IsSecret(key) || IsCredential(value) || (namesSecret && key != namingKey && value is JsonValue or JsonArray)))
                    {
                        obj[key] = Redacted;
                    }
                    else
                    {
                        Walk(value);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue value && RedactUrl(value) is { } url)
                    {
                        array[i] = url;
                    }
                    else
                    {
                        Walk(array[i]);
                    }
                }

                break;
            case JsonValue value when value.Parent is not null && RedactUrl(value) is { } url:
                value.ReplaceWith(url);
                break;
        }
    }

    /// <summary>Whether the object describes a secret header or parameter, e.g. <c>{ "RequestHeader": "Authorization", "Set": "..." }</c>.</summary>
    private static bool NamesASecret(JsonObject obj, out string? namingKey)
    {
        foreach (var (key, value) in obj)
        {
            // "Name" is also a lane's or a sink's name: only header, cookie and query conditions pair it with "Values".
            var naming = NamingKeys.Contains(key, StringComparer.OrdinalIgnoreCase) && (!key.Equals("Name", StringComparison.OrdinalIgnoreCase) || HasKey(obj, "Values"));
            if (naming && value is JsonValue named && named.TryGetValue<string>(out var name) && (IsSecret(name) || IsWord(name, CredentialHeaders)))
            {
                namingKey = key;
                return true;
            }
        }

        namingKey = null;
        return false;
    }

    private static bool HasKey(JsonObject obj, string wanted)
    {
        foreach (var (key, _) in obj)
        {
            if (key.Equals(wanted, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsSecret(string name)
    {
        var normalized = Normalize(name);
        foreach (var word in SecretWords)
        {
            if (normalized.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsWord(string name, string[] words) => words.Contains(Normalize(name), StringComparer.OrdinalIgnoreCase);

    private static string Normalize(string name) =>
        name.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).Replace(".", "", StringComparison.Ordinal);

    /// <summary>A text value that is an authorization header's value or a connection string with a password.</summary>
    private static bool IsCredential(JsonNode value)
    {
        if (value is not JsonValue text || !text.TryGetValue<string>(out var s))
        {
            return false;
        }

        foreach (var prefix in CredentialPrefixes)
        {
            if (s.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && s.Length > prefix.Length)
            {
                return true;
            }
        }

        foreach (var part in CredentialParts)
        {
            if (s.Contains(part, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The value with the user information of its URLs replaced, or null when there is none.</summary>
    private static string? RedactUrl(JsonValue value)
    {
        var text = value.TryGetValue<string>(out var s) ? s : "";
        var redacted = UrlCredentials.Redact(text);
        return ReferenceEquals(redacted, text) ? null : redacted;
    }
}
