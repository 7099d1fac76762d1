using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Host.Config;

/// <summary><c>true</c> and <c>false</c>, also quoted (<c>"true"</c>), as YARP's own config reader and the old gateway reader took them.</summary>
internal sealed class BooleanConverter : JsonConverter<bool>
{
    public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        JsonTokenType.String when bool.TryParse(reader.GetString(), out var value) => value,
        _ => throw new JsonException(),
    };

    public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) => writer.WriteBooleanValue(value);
}
