using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Host.Config;

/// <summary>Refuses an id written inside its own entry (a route's <c>RouteId</c>): the entry's key is its id.</summary>
internal sealed class KeyInsideEntry : JsonConverter<string>
{
    public const string Message = "unknown setting; the id of an entry is its key";

    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new ConfigValueException(Message);

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
