using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Gateway.Routing.Config;

namespace Gateway.Host.Config;

internal static partial class ConfigJson
{
    public const string Twice = "appears twice (keys are case-insensitive)";

    /// <summary>
    /// Reports every reason why <paramref name="element"/> does not read as <paramref name="info"/>'s type: keys the type
    /// does not have (with the nearest it has), keys written twice, values of the wrong kind, null items, each at its path. The
    /// reader itself stops at the first; this walks the JSON and the type's metadata together, only for a part that
    /// failed to read, so a clean config never pays for it.
    /// </summary>
    private static void Diagnose(JsonElement element, JsonTypeInfo info, string path, bool nullable, ConfigReader problems)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            if (!nullable)
            {
                problems.Report(path, "must not be null");
            }

            return;
        }

        var map = info.Kind == JsonTypeInfoKind.Dictionary;
        if ((info.Kind == JsonTypeInfoKind.Object || map) && element.ValueKind == JsonValueKind.Object)
        {
            foreach (var (name, value, at) in Entries(element, path, map ? "names" : "keys", problems))
            {
                var member = map ? null : Member(info, name);
                if (!map && member is null)
                {
                    problems.Report(at, () => Unknown(info, name));
                }
                else
                {
                    Diagnose(value, Options.GetTypeInfo(member?.PropertyType ?? info.ElementType!), at, member?.IsSetNullable ?? false, problems);
                }
            }
        }
        else if (info.Kind == JsonTypeInfoKind.Enumerable && element.ValueKind == JsonValueKind.Array)
        {
            var items = Options.GetTypeInfo(info.ElementType!);
            var index = 0;
            foreach (var item in element.EnumerateArray())
            {
                Diagnose(item, items, ConfigReader.Item(path, index++), nullable: false, problems);
            }
        }
        else
        {
            try
            {
                element.Deserialize(info);
            }
            catch (ConfigValueException ex)
            {
                problems.Report(path, ex.Message);
            }
            catch (JsonException)
            {
                problems.Report(path, Mismatch(element, info.Type, info.Kind));
            }
        }
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

    private static string Unknown(JsonTypeInfo info, string name) => Unknown(info.Properties.Select(p => p.Name).ToList(), name);

    /// <summary>Why <paramref name="name"/> is not one of the <paramref name="known"/> settings (also said of Kestrel's).</summary>
    public static string Unknown(List<string> known, string name) =>
        NearestNames.Suggest(known, name) is { } near
            ? "unknown setting; did you mean '" + near + "'?"
            : "unknown setting; expected one of " + string.Join(", ", known);

    /// <summary>Why a value does not read as <paramref name="type"/> (of <paramref name="kind"/>; also said of Kestrel's settings).</summary>
    public static string Mismatch(JsonElement element, Type type, JsonTypeInfoKind kind) =>
        element.ValueKind is JsonValueKind.Object or JsonValueKind.Array || kind != JsonTypeInfoKind.None
            ? "expected " + Expected(type, kind) + ", found " + Describe(element)
            : "'" + (element.ValueKind == JsonValueKind.String ? element.GetString() : element.GetRawText()) + "' is not " + Expected(type, kind);

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.Null => "null",
        JsonValueKind.String => "the single value '" + element.GetString() + "'",
        _ => "the single value " + element.GetRawText(),
    };

    /// <summary>What a value of the type looks like, in the words of the documentation.</summary>
    private static string Expected(Type type, JsonTypeInfoKind kind)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return kind switch
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
