using System.Text.Json;
using Scute.Store;

namespace Scute.Images.Trust;

/// <summary>
/// The sigstore "simple signing" payload that cosign and containers/image sign: which manifest
/// digest is vouched for under which docker reference. Written as cosign writes it (keys sorted,
/// "optional": null) and read as strictly as containers/image reads it (exact field sets).
/// </summary>
public static class SimpleSigningPayload
{
    public const string SignatureType = "cosign container image signature";

    public static byte[] Create(Digest manifestDigest, string dockerReference)
    {
        ArgumentException.ThrowIfNullOrEmpty(dockerReference);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartObject("critical");
            w.WriteStartObject("identity");
            w.WriteString("docker-reference", dockerReference);
            w.WriteEndObject();
            w.WriteStartObject("image");
            w.WriteString("docker-manifest-digest", manifestDigest.ToString());
            w.WriteEndObject();
            w.WriteString("type", SignatureType);
            w.WriteEndObject();
            w.WriteNull("optional");
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The digest and reference an (already cryptographically verified) payload claims; a malformed one is an <see cref="InvalidDataException"/>.</summary>
    public static (string ManifestDigest, string DockerReference) Parse(byte[] payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        try
        {
            using var doc = JsonDocument.Parse(payload);
            var root = Exactly(doc.RootElement, "payload", "critical", "optional");
            var critical = Exactly(root["critical"], "critical", "identity", "image", "type");
            if (critical["type"].ValueKind != JsonValueKind.String || critical["type"].GetString() != SignatureType)
            {
                throw new InvalidDataException($"signature type is not \"{SignatureType}\"");
            }

            var image = Exactly(critical["image"], "critical.image", "docker-manifest-digest");
            var identity = Exactly(critical["identity"], "critical.identity", "docker-reference");
            return (Text(image["docker-manifest-digest"], "docker-manifest-digest"), Text(identity["docker-reference"], "docker-reference"));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException("signature payload is not JSON: " + e.Message, e);
        }
    }

    private static Dictionary<string, JsonElement> Exactly(JsonElement element, string what, params string[] names)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{what} is not a JSON object");
        }

        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var p in element.EnumerateObject())
        {
            if (!names.Contains(p.Name, StringComparer.Ordinal) || !fields.TryAdd(p.Name, p.Value))
            {
                throw new InvalidDataException($"{what} has an unexpected or repeated field \"{p.Name}\"");
            }
        }

        if (names.FirstOrDefault(n => !fields.ContainsKey(n)) is { } missing)
        {
            throw new InvalidDataException($"{what} has no field \"{missing}\"");
        }

        return fields;
    }

    private static string Text(JsonElement e, string what) =>
        e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new InvalidDataException($"{what} is not a string");
}
