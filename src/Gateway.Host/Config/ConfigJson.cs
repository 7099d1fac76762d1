using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Gateway.Routing.Config;

namespace Gateway.Host.Config;

/// <summary>
/// Reads parts of the config into typed records with System.Text.Json (source-generated, <see cref="GatewayJsonContext"/>):
/// YARP's <c>RouteConfig</c> and <c>ClusterConfig</c>, the lane options and the host settings are the schema, so a
/// setting a newer YARP adds is accepted with no change here, and a key no record has is refused. A part that does not
/// read is walked against its type's metadata (<c>ConfigJson.Diagnose.cs</c>) to report every problem in it at once.
/// </summary>
internal static partial class ConfigJson
{
    public static readonly JsonSerializerOptions Options = CreateOptions();

    /// <summary>The record in <paramref name="element"/>, or null after reporting why it does not read.</summary>
    public static T? Read<T>(JsonElement element, string path, ConfigReader problems)
        where T : class
    {
        var info = (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));
        try
        {
            if (element.Deserialize(info) is { } value)
            {
                return value;
            }

            problems.Report(path, "expected an object, found null");
            return null;
        }
        catch (JsonException ex)
        {
            var before = problems.ProblemCount;
            Diagnose(element, info, path, nullable: false, problems);
            if (problems.ProblemCount == before)
            {
                problems.Report(path, Clean(ex.Message));
            }

            return null;
        }
    }

    /// <summary>
    /// Like <see cref="Read{T}"/>, but an object that does not read whole still gets the members that do, so the
    /// checks of those run too and every problem of the file is reported at once.
    /// </summary>
    public static T? ReadMembers<T>(JsonElement element, string path, ConfigReader problems)
        where T : class
    {
        if (Read<T>(element, path, problems) is { } whole)
        {
            return whole;
        }

        var info = Options.GetTypeInfo(typeof(T));
        if (info.CreateObject is null || element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var partial = (T)info.CreateObject();
        foreach (var property in element.EnumerateObject())
        {
            if (Member(info, property.Name) is { Set: { } set, CustomConverter: null } member)
            {
                try
                {
                    if (property.Value.Deserialize(Options.GetTypeInfo(member.PropertyType)) is { } value)
                    {
                        set(partial, value);
                    }
                }
                catch (JsonException)
                {
                    // Reported by Read; the member keeps its default.
                }
            }
        }

        return partial;
    }

    /// <summary>True when <paramref name="element"/> is an object to walk; a missing or null one is empty, anything else is reported.</summary>
    public static bool IsObject(JsonElement element, string path, ConfigReader problems)
    {
        if (element.ValueKind is JsonValueKind.Object)
        {
            return true;
        }

        if (element.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null))
        {
            problems.Report(path, "expected an object, found " + Describe(element));
        }

        return false;
    }

    /// <summary>The member <paramref name="name"/> of an object (names are case-insensitive), or an undefined element.</summary>
    public static JsonElement Child(JsonElement element, string name)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    return property.Value;
                }
            }
        }

        return default;
    }

    /// <summary>The element's JSON text as in the file: unchanged text means an unchanged route, cluster or group.</summary>
    public static ReadOnlySpan<byte> Raw(JsonElement element) =>
        element.ValueKind == JsonValueKind.Undefined ? default : JsonMarshal.GetRawUtf8Value(element);

    /// <summary>A JSON reader's message without the position it appends (paths are ours, positions are the file's).</summary>
    public static string Clean(string message)
    {
        var end = message.IndexOf(" Path: ", StringComparison.Ordinal);
        end = end < 0 ? message.IndexOf(" LineNumber: ", StringComparison.Ordinal) : end;
        return end < 0 ? message : message[..end];
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            TypeInfoResolver = GatewayJsonContext.Default.WithAddedModifier(GatewayJsonContext.Adjust),
            PropertyNameCaseInsensitive = true,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            AllowDuplicateProperties = false,
            RespectNullableAnnotations = true,
            NumberHandling = JsonNumberHandling.AllowReadingFromString,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            Converters =
            {
                new SslProtocolsConverter(),
                new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false),
                new VersionConverter(),
                new BooleanConverter(),
                new StringMapConverter(),
            },
        };
        options.MakeReadOnly();
        return options;
    }
}
