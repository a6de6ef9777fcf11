using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Scute.Store;

/// <summary>
/// One byte form per JSON value so that hashes of JSON are stable: object keys
/// sorted ordinally (UTF-16 code units), no whitespace, one fixed string escaper.
/// </summary>
public static class CanonicalJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Re-encodes any JSON document canonically.</summary>
    public static byte[] Canonicalize(ReadOnlySpan<byte> json)
    {
        using var doc = JsonDocument.Parse(json.ToArray());
        return Canonicalize(doc.RootElement);
    }

    public static byte[] Canonicalize(JsonElement element, Func<string, bool>? keepTopLevel = null)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteElement(writer, element, keepTopLevel);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Canonical bytes of an object plus extra top-level string properties (used for checksums).</summary>
    public static byte[] WithExtraProperty(byte[] canonicalObject, string name, string value)
    {
        var node = JsonNode.Parse(canonicalObject)?.AsObject()
            ?? throw new ArgumentException("expected a JSON object", nameof(canonicalObject));
        node[name] = JsonValue.Create(value);
        return Canonicalize(System.Text.Encoding.UTF8.GetBytes(node.ToJsonString()));
    }

    private static void WriteElement(Utf8JsonWriter writer, JsonElement element, Func<string, bool>? keep)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                var props = element.EnumerateObject()
                    .Where(p => keep is null || keep(p.Name))
                    .OrderBy(p => p.Name, StringComparer.Ordinal);
                foreach (var p in props)
                {
                    writer.WritePropertyName(p.Name);
                    WriteElement(writer, p.Value, null);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteElement(writer, item, null);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(element.GetString());
                break;
            default:
                // Numbers, booleans and null keep their literal text.
                element.WriteTo(writer);
                break;
        }
    }
}
