using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Host.Config;

/// <summary>An HTTP version as YARP's own config reader takes it: <c>"2"</c> or <c>2</c> means 2.0, <c>"1.1"</c> is 1.1.</summary>
internal sealed class VersionConverter : JsonConverter<Version>
{
    public override Version Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString()!,
            JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
            _ => throw new ConfigValueException("expected a version such as 1.1 or 2"),
        };
        return Version.TryParse(text.Contains('.', StringComparison.Ordinal) ? text : text + ".0", out var version)
            ? version
            : throw new ConfigValueException("'" + text + "' is not a version such as 1.1 or 2");
    }

    public override void Write(Utf8JsonWriter writer, Version value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
