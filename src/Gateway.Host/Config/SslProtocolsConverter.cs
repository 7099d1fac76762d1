using System.Security.Authentication;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Host.Config;

/// <summary>TLS versions as YARP documents them, a list of names (<c>["Tls12", "Tls13"]</c>), or one name; never numbers.</summary>
internal sealed class SslProtocolsConverter : JsonConverter<SslProtocols>
{
    public override SslProtocols Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return Parse(reader.GetString()!);
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new ConfigValueException("expected a list of " + string.Join(", ", Enum.GetNames<SslProtocols>()));
        }

        var protocols = SslProtocols.None;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            protocols |= reader.TokenType == JsonTokenType.String ? Parse(reader.GetString()!) : throw new ConfigValueException("expected protocol names");
        }

        return protocols;
    }

    public override void Write(Utf8JsonWriter writer, SslProtocols value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());

    private static SslProtocols Parse(string name) =>
        name.Length > 0 && char.IsLetter(name[0]) && Enum.TryParse<SslProtocols>(name, ignoreCase: true, out var protocol)
            ? protocol
            : throw new ConfigValueException("'" + name + "' is not one of " + string.Join(", ", Enum.GetNames<SslProtocols>()));
}
