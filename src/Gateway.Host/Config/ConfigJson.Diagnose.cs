using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Gateway.Routing.Config;

namespace Gateway.Host.Config;

internal static partial class ConfigJson
{
    /// <summary>
    /// Finds every reason why <paramref name="element"/> does not read as <paramref name="info"/>'s type: keys the type
    /// does not have (with the nearest name it has), keys written twice, values of the wrong kind. Runs only for a
    /// part that failed to read, so a clean config never pays for it.
    /// </summary>
    private static void Diagnose(JsonElement element, JsonTypeInfo info, string path, bool nullable, ConfigReader problems)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            if (!nullable && !info.Type.IsClass && Nullable.GetUnderlyingType(info.Type) is null)
            {
                problems.Report(path, "expected " + Expected(info.Type) + ", found null");
            }
            else if (!nullable)
            {
                problems.Report(path, "must not be null");
            }

            return;
        }

        if (StringMapConverter.ValueType(info.Type) is { } valueType)
        {
            DiagnoseMap(element, Options.GetTypeInfo(valueType), path, problems);
            return;
        }

        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object:
                DiagnoseObject(element, info, path, problems);
                return;
            case JsonTypeInfoKind.Enumerable when element.ValueKind != JsonValueKind.Array:
                problems.Report(path, "expected a list, found " + Describe(element));
                return;
            case JsonTypeInfoKind.Enumerable:
                var items = Options.GetTypeInfo(info.ElementType!);
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Diagnose(item, items, ConfigReader.Item(path, index++), nullable: true, problems);
                }

                return;
            case JsonTypeInfoKind.Dictionary:
                DiagnoseMap(element, Options.GetTypeInfo(info.ElementType!), path, problems);
                return;
            default:
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
                    problems.Report(path, Mismatch(element, info.Type));
                }

                return;
        }
    }

    private static void DiagnoseObject(JsonElement element, JsonTypeInfo info, string path, ConfigReader problems)
    {
        if (!IsObject(element, path, problems))
        {
            return;
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in element.EnumerateObject())
        {
            var at = ConfigReader.Child(path, property.Name);
            var member = Member(info, property.Name);
            if (!seen.Add(property.Name))
            {
                problems.Report(at, "appears twice (keys are case-insensitive)");
            }
            else if (member is null)
            {
                problems.Report(at, Unknown(info, property.Name));
            }
            else if (member.CustomConverter is KeyInsideEntry)
            {
                problems.Report(at, KeyInsideEntry.Message);
            }
            else if (member.CustomConverter is null)
            {
                Diagnose(property.Value, Options.GetTypeInfo(member.PropertyType), at, member.IsSetNullable, problems);
            }
        }
    }

    private static void DiagnoseMap(JsonElement element, JsonTypeInfo values, string path, ConfigReader problems)
    {
        if (!IsObject(element, path, problems))
        {
            return;
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in element.EnumerateObject())
        {
            var at = ConfigReader.Child(path, property.Name);
            if (!seen.Add(property.Name))
            {
                problems.Report(at, "appears twice (keys are case-insensitive)");
            }
            else if (values.Type != typeof(string) || property.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.Null)
            {
                Diagnose(property.Value, values, at, nullable: false, problems);
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

    private static string Unknown(JsonTypeInfo info, string name)
    {
        var known = info.Properties.Select(p => p.Name).ToList();
        return NearestNames.Suggest(known, name) is { } near
            ? "unknown setting; did you mean '" + near + "'?"
            : "unknown setting; expected one of " + string.Join(", ", known);
    }

    private static string Mismatch(JsonElement element, Type type) => element.ValueKind is JsonValueKind.Object or JsonValueKind.Array
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

    /// <summary>What a value of <paramref name="type"/> looks like, in the words of the documentation.</summary>
    private static string Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum)
        {
            return "one of " + string.Join(", ", Enum.GetNames(type));
        }

        return Type.GetTypeCode(type) switch
        {
            TypeCode.Byte or TypeCode.Int16 or TypeCode.Int32 or TypeCode.Int64 or TypeCode.UInt16 or TypeCode.UInt32 or TypeCode.UInt64 => "a whole number",
            TypeCode.Single or TypeCode.Double or TypeCode.Decimal => "a number",
            TypeCode.Boolean => "true or false",
            TypeCode.String => "a text value",
            _ when type == typeof(TimeSpan) => "a duration such as 00:00:30",
            _ when type == typeof(Uri) => "a URI",
            _ => "a " + type.Name,
        };
    }
}
