using System.Text.Json;
using Scute.Images.Oci;
using Scute.Store;

namespace Scute.Images.Trust;

/// <summary>
/// The sigstore attachment of an image, as containers/image and cosign keep it in a registry:
/// an OCI image manifest tagged <c>sha256-&lt;hex&gt;.sig</c> in the image's repository, one layer
/// per signature (the payload, media type <see cref="SigstoreSignature.PayloadMediaType"/>, the
/// base64 signature in the layer's <see cref="SigstoreSignature.SignatureAnnotation"/>), and a
/// config whose rootfs.diff_ids list the layers.
/// </summary>
public static class SignatureAttachment
{
    public const string ConfigMediaType = "application/vnd.oci.image.config.v1+json";

    public static string Tag(Digest manifestDigest) => $"sha256-{manifestDigest.Hex}.sig";

    /// <summary>One signature layer as the manifest lists it.</summary>
    public sealed record Layer(Digest Digest, long Size, string MediaType, string? Signature);

    /// <summary>The layers of an attachment manifest; anything but an OCI manifest with a layers array is refused.</summary>
    public static IReadOnlyList<Layer> ParseManifest(byte[] manifest, string what)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        try
        {
            using var doc = JsonDocument.Parse(manifest);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("layers", out var layers) || layers.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"{what} is not an image manifest with layers");
            }

            var result = new List<Layer>();
            foreach (var l in layers.EnumerateArray())
            {
                string? signature = null;
                if (l.TryGetProperty("annotations", out var annotations) && annotations.ValueKind == JsonValueKind.Object
                    && annotations.TryGetProperty(SigstoreSignature.SignatureAnnotation, out var s) && s.ValueKind == JsonValueKind.String)
                {
                    signature = s.GetString();
                }

                var digestText = l.TryGetProperty("digest", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                if (!Digest.TryParse(digestText, out var digest))
                {
                    throw new InvalidDataException($"{what} lists a layer without a sha256 digest");
                }

                var size = l.TryGetProperty("size", out var z) && z.TryGetInt64(out var n) ? n : -1;
                var mediaType = l.TryGetProperty("mediaType", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : string.Empty;
                result.Add(new Layer(digest, size, mediaType, signature));
            }

            return result;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{what} is not JSON: {e.Message}", e);
        }
    }

    /// <summary>The config blob (containers/image writes the same shape: an image config listing the payloads as diff_ids).</summary>
    public static byte[] Config(IEnumerable<Digest> payloads)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("architecture", string.Empty);
            w.WriteString("os", string.Empty);
            w.WriteStartObject("config");
            w.WriteEndObject();
            w.WriteStartObject("rootfs");
            w.WriteString("type", "layers");
            w.WriteStartArray("diff_ids");
            foreach (var d in payloads)
            {
                w.WriteStringValue(d.ToString());
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The attachment manifest over a config blob and the signature layers, in order.</summary>
    public static byte[] Manifest(byte[] config, IEnumerable<(byte[] Payload, string Signature)> signatures)
    {
        ArgumentNullException.ThrowIfNull(config);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("schemaVersion", 2);
            w.WriteString("mediaType", OciMediaTypes.OciManifest);
            w.WriteStartObject("config");
            w.WriteString("mediaType", ConfigMediaType);
            w.WriteString("digest", Digest.Compute(config).ToString());
            w.WriteNumber("size", config.Length);
            w.WriteEndObject();
            w.WriteStartArray("layers");
            foreach (var (payload, signature) in signatures)
            {
                w.WriteStartObject();
                w.WriteString("mediaType", SigstoreSignature.PayloadMediaType);
                w.WriteString("digest", Digest.Compute(payload).ToString());
                w.WriteNumber("size", payload.Length);
                w.WriteStartObject("annotations");
                w.WriteString(SigstoreSignature.SignatureAnnotation, signature);
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
