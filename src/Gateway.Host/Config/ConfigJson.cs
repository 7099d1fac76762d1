using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.Routing.Config;

namespace Gateway.Host.Config;

/// <summary>
/// Reads parts of the config into typed records with System.Text.Json (source-generated, <see cref="GatewayJsonContext"/>):
/// YARP's <c>RouteConfig</c> and <c>ClusterConfig</c>, the lane options and the host settings are the schema, so a
/// setting a newer YARP adds is accepted with no change here, and a key no record has is refused. Each route, cluster,
/// lane group and section is read on its own, so every broken one is reported, and one that does not read is walked
/// against its type's metadata to report every problem in it (<c>ConfigJson.Diagnose.cs</c>).
/// </summary>
internal static partial class ConfigJson
{
    public static readonly JsonSerializerOptions Options = CreateOptions();

    /// <summary>The record in <paramref name="element"/>, or null after reporting why it does not read.</summary>
    public static T? Read<T>(JsonElement element, string path, ConfigReader problems)
        where T : class => (T?)Read(element, typeof(T), nullable: false, path, problems);

    /// <summary>
    /// Each member of an object read on its own (the host sections, the settings of <c>Lanes</c>), so one that does not
    /// read hides no problem of the others. A member typed <see cref="JsonElement"/> is kept as it is, for its own reader;
    /// the member <paramref name="skip"/> is left to the caller.
    /// </summary>
    public static T ReadMembers<T>(JsonElement element, string path, ConfigReader problems, string? skip = null)
        where T : class, new()
    {
        var info = Options.GetTypeInfo(typeof(T));
        var value = new T();
        foreach (var (name, json, at) in Entries(element, path, "keys", problems))
        {
            if (Member(info, name) is not { } member)
            {
                problems.Report(at, () => Unknown(info, name));
            }
            else if (member.PropertyType == typeof(JsonElement))
            {
                member.Set!(value, json);
            }
            else if (member.Name != skip && Read(json, member.PropertyType, member.IsSetNullable, at, problems) is { } read)
            {
                member.Set!(value, read);
            }
        }

        return value;
    }

    /// <summary>
    /// The entries of an object by key (routes, clusters, lane groups, sections); a key written twice in any case is
    /// reported, once. A missing or null object has none; anything else is reported.
    /// </summary>
    public static IEnumerable<(string Key, JsonElement Value, string Path)> Entries(JsonElement element, string path, string keys, ConfigReader problems)
    {
        if (element.ValueKind is not JsonValueKind.Object)
        {
            if (element.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null))
            {
                problems.Report(path, "expected an object, found " + Describe(element));
            }

            yield break;
        }

        var seen = new HashSet<string>(element.GetPropertyCount(), StringComparer.OrdinalIgnoreCase);
        foreach (var property in element.EnumerateObject())
        {
            var at = ConfigReader.Child(path, property.Name);
            if (seen.Add(property.Name))
            {
                yield return (property.Name, property.Value, at);
            }
            else
            {
                problems.Report(at, "appears twice (" + keys + " are case-insensitive)");
            }
        }
    }

    /// <summary>Refuses an id written inside its own entry (a route's <c>RouteId</c>): the entry's key is its id.</summary>
    public static void KeyInside(string? id, string path, ConfigReader problems)
    {
        if (!string.IsNullOrEmpty(id))
        {
            problems.Report(path, "unknown setting; the id of an entry is its key");
        }
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

    /// <summary>Whether two parts have the same text in their files (a missing part has none): unchanged, so reusable.</summary>
    public static bool SameText(JsonElement part, JsonElement other) => Raw(part).SequenceEqual(Raw(other));

    /// <summary>A JSON reader's message without the position it appends (paths are ours, positions are the file's).</summary>
    public static string Clean(string message)
    {
        var end = message.IndexOf(" Path: ", StringComparison.Ordinal);
        end = end < 0 ? message.IndexOf(" LineNumber: ", StringComparison.Ordinal) : end;
        return end < 0 ? message : message[..end];
    }

    private static object? Read(JsonElement element, Type type, bool nullable, string path, ConfigReader problems)
    {
        var info = Options.GetTypeInfo(type);
        object? value = null;
        JsonException? error = null;
        try
        {
            value = element.Deserialize(info);
        }
        catch (JsonException ex)
        {
            error = ex;
        }

        if (value is null && error is null)
        {
            if (!nullable)
            {
                problems.Report(path, "expected " + Expected(info.Type, info.Kind) + ", found null");
            }

            return null;
        }

        // A part that does not read is walked for every problem in it; so is one whose text has a null, which the
        // reader lets through as a list item or a map value where no code expects one (rare, so only then).
        var before = problems.ProblemCount;
        if (error is not null || Raw(element).IndexOf("null"u8) >= 0)
        {
            Diagnose(element, info, path, nullable, problems);
        }

        if (error is not null && problems.ProblemCount == before)
        {
            problems.Report(path, Clean(error.Message));
        }

        return problems.ProblemCount == before ? value : null;
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            TypeInfoResolver = GatewayJsonContext.Default,
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
