using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Scute.Manifest;

/// <summary>
/// One byte form per JSON value: object keys sorted ordinal, no insignificant whitespace, UTF-8, integers
/// written without exponent or fraction. Hashes (env id, lock checksum, manifest digest) are taken over it.
/// </summary>
public static class CanonicalJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = false,
        // Fixed encoder: relaxed keeps non-ASCII text readable, and is deterministic, which is what matters.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    public static string Serialize(JsonNode? node) => Encoding.UTF8.GetString(SerializeToUtf8Bytes(node));

    public static byte[] SerializeToUtf8Bytes(JsonNode? node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(writer, node);
        }

        return buffer.ToArray();
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    Write(writer, value);
                }

                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValue value:
                WriteValue(writer, value);
                break;
            default:
                throw new ArgumentException($"unsupported JSON node {node.GetType().Name}", nameof(node));
        }
    }

    private static void WriteValue(Utf8JsonWriter writer, JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                writer.WriteStringValue(value.GetValue<string>());
                break;
            case JsonValueKind.True:
                writer.WriteBooleanValue(true);
                break;
            case JsonValueKind.False:
                writer.WriteBooleanValue(false);
                break;
            case JsonValueKind.Null:
                writer.WriteNullValue();
                break;
            case JsonValueKind.Number:
                WriteNumber(writer, value);
                break;
            default:
                throw new ArgumentException($"unsupported JSON value kind {value.GetValueKind()}", nameof(value));
        }
    }

    // 1, 1.0 and 1e0 are the same number; write integers one way so re-serializing parsed JSON is stable.
    private static void WriteNumber(Utf8JsonWriter writer, JsonValue value)
    {
        if (value.TryGetValue<long>(out var l))
        {
            writer.WriteNumberValue(l);
            return;
        }

        if (value.TryGetValue<ulong>(out var ul))
        {
            writer.WriteNumberValue(ul);
            return;
        }

        var d = value.TryGetValue<double>(out var parsed) ? parsed : double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture);
        if (double.IsFinite(d) && Math.Floor(d) == d && Math.Abs(d) < 9.2e18)
        {
            writer.WriteNumberValue((long)d);
        }
        else
        {
            writer.WriteNumberValue(d);
        }
    }
}
