using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Gateway.Routing.Config;

namespace Gateway.Host.Config;

internal static partial class ConfigJson
{
    public const string Twice = "appears twice (keys are case-insensitive)";

    /// <summary>
    /// Puts the first problem of a part into the file's words. The reader stops there and says where
    /// (<see cref="JsonException.Path"/>, such as <c>$.Match.Headers[0].Mode</c>); walking that path over the JSON and the
    /// type's metadata together finds the key or value at fault and what was expected in its place.
    /// </summary>
    /// <returns>The problem's path in the config.</returns>
    private static string Explain(JsonElement element, JsonTypeInfo info, string path, JsonException ex, out string message)
    {
        JsonElement parent = default;
        JsonTypeInfo? owner = null;
        JsonTypeInfo? type = info;
        string? key = null;
        foreach (var (name, index) in Segments(ex.Path))
        {
            (parent, owner, key) = (element, type, name);
            if (name is null)
            {
                path = ConfigReader.Item(path, index);
                element = element.ValueKind == JsonValueKind.Array && index >= 0 && index < element.GetArrayLength() ? element[index] : default;
                type = type?.ElementType is { } item ? Options.GetTypeInfo(item) : null;
            }
            else
            {
                path = ConfigReader.Child(path, name);
                element = Child(element, name);
                type = type?.Kind == JsonTypeInfoKind.Object
                    ? Member(type, name) is { } member ? Options.GetTypeInfo(member.PropertyType) : null
                    : type?.ElementType is { } value ? Options.GetTypeInfo(value) : null;
            }
        }

        message = ex is ConfigValueException ? ex.Message
            : key is not null && Count(parent, key) > 1 ? Twice
            : type is null && key is not null && owner?.Kind == JsonTypeInfoKind.Object ? Unknown(owner, key)
            : type is null || element.ValueKind == JsonValueKind.Undefined ? Clean(ex.Message)
            : element.ValueKind == JsonValueKind.Null ? "must not be null"
            : Mismatch(element, type);
        return path;
    }

    /// <summary>The keys and indexes of a reader's path: <c>$.a['b.c'][2]</c> is a, b.c, 2.</summary>
    private static IEnumerable<(string? Name, int Index)> Segments(string? path)
    {
        for (var i = 1; path is not null && i < path.Length;)
        {
            var quoted = path.AsSpan(i).StartsWith("['");
            var end = path[i] == '.' ? path.IndexOfAny(['.', '['], i + 1) : path.IndexOf(quoted ? "']" : "]", i, StringComparison.Ordinal);
            end = end < 0 ? path.Length : end;
            yield return path[i] == '.' ? (path[(i + 1)..end], 0)
                : quoted ? (path[(i + 2)..end], 0)
                : (null, int.TryParse(path.AsSpan(i + 1, end - i - 1), CultureInfo.InvariantCulture, out var index) ? index : -1);
            i = path[i] == '.' ? end : end + (quoted ? 2 : 1);
        }
    }

    private static int Count(JsonElement element, string name)
    {
        var count = 0;
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                count += string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase) ? 1 : 0;
            }
        }

        return count;
    }

    private static JsonPropertyInfo? Member(JsonTypeInfo info, string name)
    {
        foreach (var property in info.Properties)
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property;
            }
        }

        return null;
    }

    private static string Unknown(JsonTypeInfo info, string name)
    {
        var known = info.Properties.Select(p => p.Name).ToList();
        return NearestNames.Suggest(known, name) is { } near
            ? "unknown setting; did you mean '" + near + "'?"
            : "unknown setting; expected one of " + string.Join(", ", known);
    }

    private static string Mismatch(JsonElement element, JsonTypeInfo type) =>
        element.ValueKind is JsonValueKind.Object or JsonValueKind.Array || type.Kind != JsonTypeInfoKind.None
            ? "expected " + Expected(type) + ", found " + Describe(element)
            : "'" + (element.ValueKind == JsonValueKind.String ? element.GetString() : element.GetRawText()) + "' is not " + Expected(type);

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.Null => "null",
        JsonValueKind.String => "the single value '" + element.GetString() + "'",
        _ => "the single value " + element.GetRawText(),
    };

    /// <summary>What a value of the type looks like, in the words of the documentation.</summary>
    private static string Expected(JsonTypeInfo info)
    {
        var type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        return info.Kind switch
        {
            JsonTypeInfoKind.Object or JsonTypeInfoKind.Dictionary => "an object",
            JsonTypeInfoKind.Enumerable => "a list",
            _ when type.IsEnum => "one of " + string.Join(", ", Enum.GetNames(type)),
            _ => Type.GetTypeCode(type) switch
            {
                TypeCode.Byte or TypeCode.Int16 or TypeCode.Int32 or TypeCode.Int64 or TypeCode.UInt16 or TypeCode.UInt32 or TypeCode.UInt64 => "a whole number",
                TypeCode.Single or TypeCode.Double or TypeCode.Decimal => "a number",
                TypeCode.Boolean => "true or false",
                TypeCode.String => "a text value",
                _ when type == typeof(TimeSpan) => "a duration such as 00:00:30",
                _ when type == typeof(Uri) => "a URI",
                _ => "a " + type.Name,
            },
        };
    }
}
