using System.Text.Json;
using System.Text.Json.Serialization;

namespace Scute.Core;

/// <summary>Digests travel in JSON as "sha256:&lt;hex&gt;", never as objects.</summary>
public sealed class DigestJsonConverter : JsonConverter<Digest>
{
    public override Digest Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("expected a digest string");
        }

        return Digest.TryParse(reader.GetString(), out var d)
            ? d
            : throw new JsonException($"'{reader.GetString()}' is not a sha256 digest");
    }

    public override void Write(Utf8JsonWriter writer, Digest value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString());
    }
}
