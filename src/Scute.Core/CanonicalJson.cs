using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Scute.Core;

/// <summary>How <see cref="CanonicalJson"/> writes a number.</summary>
public enum CanonicalNumbers
{
    /// <summary>
    /// Integers without exponent or fraction (1, 1.0 and 1e0 all become 1), so re-serializing parsed JSON is
    /// stable. Env ids, lock checksums, manifest digests and audit checksums are taken over this form.
    /// </summary>
    Integral,

    /// <summary>
    /// Each number keeps its literal text. Store metadata, layer descriptions and the OCI documents Scute
    /// writes are hashed in this form, and an image's own numbers must not change under its digest.
    /// </summary>
    Literal,
}

/// <summary>
/// One byte form per JSON value, so hashes of JSON are stable: object keys sorted ordinally (UTF-16 code
/// units), no insignificant whitespace, UTF-8, one fixed string escaper. Both number rules already have
/// hashes stored under them (see <see cref="CanonicalNumbers"/>): the rule is part of each caller's format.
/// </summary>
public static class CanonicalJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = false,
        // Fixed encoder: relaxed keeps non-ASCII text readable, and is deterministic, which is what matters.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(JsonNode? node, CanonicalNumbers numbers = CanonicalNumbers.Integral) =>
        Encoding.UTF8.GetString(SerializeToUtf8Bytes(node, numbers));

    public static byte[] SerializeToUtf8Bytes(JsonNode? node, CanonicalNumbers numbers = CanonicalNumbers.Integral) =>
        WriteWith(writer => Write(writer, node, numbers));

    /// <summary>Re-encodes any JSON document canonically; numbers keep their literal text.</summary>
    public static byte[] Canonicalize(ReadOnlySpan<byte> json, CanonicalNumbers numbers = CanonicalNumbers.Literal)
    {
        using var doc = JsonDocument.Parse(json.ToArray());
        return Canonicalize(doc.RootElement, keepTopLevel: null, numbers);
    }

    /// <summary>Re-encodes an element canonically, keeping only the top-level properties <paramref name="keepTopLevel"/> accepts.</summary>
    public static byte[] Canonicalize(
        JsonElement element, Func<string, bool>? keepTopLevel = null, CanonicalNumbers numbers = CanonicalNumbers.Literal) =>
        WriteWith(writer => Write(writer, element, keepTopLevel, numbers));

    /// <summary>Canonical bytes of an object plus extra top-level string properties (used for checksums).</summary>
    public static byte[] WithExtraProperty(byte[] canonicalObject, string name, string value)
    {
        var node = JsonNode.Parse(canonicalObject)?.AsObject()
            ?? throw new ArgumentException("expected a JSON object", nameof(canonicalObject));
        node[name] = JsonValue.Create(value);
        return Canonicalize(Encoding.UTF8.GetBytes(node.ToJsonString()));
    }

    private static byte[] WriteWith(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    // JsonElement input keeps duplicate keys as they come (a document is re-encoded, not judged).
    private static void Write(Utf8JsonWriter writer, JsonElement element, Func<string, bool>? keep, CanonicalNumbers numbers)
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
                    Write(writer, p.Value, null, numbers);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item, null, numbers);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(element.GetString());
                break;
            case JsonValueKind.Number when numbers == CanonicalNumbers.Integral:
                WriteIntegral(writer, element.GetRawText());
                break;
            default:
                // Literal numbers, booleans and null keep their text.
                element.WriteTo(writer);
                break;
        }
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? node, CanonicalNumbers numbers)
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
                    Write(writer, value, numbers);
                }

                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    Write(writer, item, numbers);
                }

                writer.WriteEndArray();
                break;
            case JsonValue value:
                WriteValue(writer, value, numbers);
                break;
            default:
                throw new ArgumentException($"unsupported JSON node {node.GetType().Name}", nameof(node));
        }
    }

    private static void WriteValue(Utf8JsonWriter writer, JsonValue value, CanonicalNumbers numbers)
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
            case JsonValueKind.Number when numbers == CanonicalNumbers.Literal:
                value.WriteTo(writer);
                break;
            case JsonValueKind.Number:
                WriteIntegral(writer, value);
                break;
            default:
                throw new ArgumentException($"unsupported JSON value kind {value.GetValueKind()}", nameof(value));
        }
    }

    // 1, 1.0 and 1e0 are the same number; write integers one way so re-serializing parsed JSON is stable.
    private static void WriteIntegral(Utf8JsonWriter writer, JsonValue value)
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

        WriteIntegral(writer, value.TryGetValue<double>(out var parsed) ? parsed : double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture));
    }

    private static void WriteIntegral(Utf8JsonWriter writer, string literal)
    {
        if (long.TryParse(literal, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            writer.WriteNumberValue(l);
            return;
        }

        if (ulong.TryParse(literal, NumberStyles.None, CultureInfo.InvariantCulture, out var ul))
        {
            writer.WriteNumberValue(ul);
            return;
        }

        WriteIntegral(writer, double.Parse(literal, CultureInfo.InvariantCulture));
    }

    private static void WriteIntegral(Utf8JsonWriter writer, double d)
    {
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
