using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Host.Config;

/// <summary>
/// Maps of names to text (metadata, transforms) as YARP's own reader makes them: names are case-insensitive, so a name
/// written twice in any case is refused; a number or true/false reads as its text (metadata such as <c>"weight": 3</c>).
/// </summary>
internal sealed class StringMapConverter : JsonConverter<IReadOnlyDictionary<string, string>>
{
    public override IReadOnlyDictionary<string, string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new ConfigValueException("expected an object of names and values");
        }

        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            var value = reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString()!,
                JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
                JsonTokenType.True => bool.TrueString,
                JsonTokenType.False => bool.FalseString,
                _ => throw new ConfigValueException("'" + name + "' is not a text value"),
            };
            if (!map.TryAdd(name, value))
            {
                throw new ConfigValueException("'" + name + "' appears twice (names are case-insensitive)");
            }
        }

        return map;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, string> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (name, text) in value)
        {
            writer.WriteString(name, text);
        }

        writer.WriteEndObject();
    }
}
