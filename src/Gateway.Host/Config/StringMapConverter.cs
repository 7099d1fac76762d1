using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Gateway.Host.Config;

/// <summary>
/// Maps by name (metadata, destinations, transforms, log levels) as YARP's own reader makes them: names are
/// case-insensitive, so a name written twice in any case is refused; a number or true/false where text belongs reads as
/// its text (metadata such as <c>"weight": 3</c>).
/// </summary>
internal sealed class StringMapConverter : JsonConverterFactory
{
    /// <summary>The value type of <c>IReadOnlyDictionary&lt;string, T&gt;</c>, or null for any other type.</summary>
    public static Type? ValueType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>) && type.GetGenericArguments()[0] == typeof(string)
            ? type.GetGenericArguments()[1]
            : null;

    public override bool CanConvert(Type typeToConvert) => ValueType(typeToConvert) is not null;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Map<>).MakeGenericType(ValueType(typeToConvert)!))!;

    private sealed class Map<T> : JsonConverter<IReadOnlyDictionary<string, T>>
    {
        public override IReadOnlyDictionary<string, T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new ConfigValueException("expected an object of names and values");
            }

            var values = (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
            var map = new Dictionary<string, T>(StringComparer.OrdinalIgnoreCase);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                reader.Read();
                var value = typeof(T) == typeof(string) && reader.TokenType is JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False
                    ? (T)(object)Text(ref reader)
                    : JsonSerializer.Deserialize(ref reader, values);
                if (value is null || !map.TryAdd(name, value))
                {
                    throw new ConfigValueException(value is null ? "'" + name + "' must not be null" : "'" + name + "' appears twice (names are case-insensitive)");
                }
            }

            return map;
        }

        public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, T> value, JsonSerializerOptions options)
        {
            var values = (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
            writer.WriteStartObject();
            foreach (var (name, item) in value)
            {
                writer.WritePropertyName(name);
                JsonSerializer.Serialize(writer, item, values);
            }

            writer.WriteEndObject();
        }

        /// <summary>A number as written, true and false as the configuration system spells them.</summary>
        private static string Text(ref Utf8JsonReader reader) => reader.TokenType switch
        {
            JsonTokenType.True => "True",
            JsonTokenType.False => "False",
            _ => Encoding.UTF8.GetString(reader.ValueSpan),
        };
    }
}
