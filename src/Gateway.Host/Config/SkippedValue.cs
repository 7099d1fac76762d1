using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Host.Config;

/// <summary>
/// Marks a key as known while leaving its value to be read on its own: routes, clusters and lane groups one by one
/// (so unchanged ones are reused and every broken one is reported), free-form sections by their own libraries.
/// </summary>
internal sealed class SkippedValue<T> : JsonConverter<T>
{
    public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        reader.Skip();
        return default;
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteNullValue();
}
