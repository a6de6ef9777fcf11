using System.Text.Json;
using Scute.Store;

namespace Scute.Images.Oci;

/// <summary>Reads manifests, indexes and configs (size-capped: they are held in memory) and tells them apart.</summary>
public static class OciDocuments
{
    /// <summary>Manifests and configs are small; a bigger one is refused rather than buffered.</summary>
    public const int MaxDocumentBytes = 8 * 1024 * 1024;

    public static OciDocument ParseDocument(ReadOnlySpan<byte> json, string what)
    {
        var doc = Parse(json, OciJsonContext.Default.OciDocument, what);
        if (doc.SchemaVersion != 2)
        {
            throw new ImageException($"{what}: schemaVersion {doc.SchemaVersion} is not supported (accepted: 2, OCI or Docker v2 schema 2)");
        }

        return doc;
    }

    public static OciImageConfig ParseConfig(ReadOnlySpan<byte> json, string what) => Parse(json, OciJsonContext.Default.OciImageConfig, what);

    /// <summary>An index has "manifests"; a manifest has "config" and "layers". The media type, when given, must agree.</summary>
    public static bool IsIndex(OciDocument doc, string what)
    {
        ArgumentNullException.ThrowIfNull(doc);
        var index = doc.Manifests is not null && doc.Config is null;
        var manifest = doc.Config is not null && doc.Layers is not null && doc.Manifests is null;
        if (index == manifest
            || (doc.MediaType is not null && (index ? !OciMediaTypes.IsIndex(doc.MediaType) : !OciMediaTypes.IsManifest(doc.MediaType))))
        {
            throw new ImageException($"{what}: neither an image manifest nor an image index (media type {doc.MediaType ?? "none"})");
        }

        return index;
    }

    /// <summary>Reads at most <see cref="MaxDocumentBytes"/> from the stream, refusing more.</summary>
    public static byte[] ReadCapped(Stream stream, string what)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = stream.Read(chunk)) > 0)
        {
            if (buffer.Length + n > MaxDocumentBytes)
            {
                throw new ImageException($"{what}: larger than {MaxDocumentBytes / (1024 * 1024)} MiB; not a manifest or config");
            }

            buffer.Write(chunk, 0, n);
        }

        return buffer.ToArray();
    }

    /// <summary>Bytes that must hash to <paramref name="digest"/>; a mismatch is exit 3.</summary>
    public static void Verify(ReadOnlySpan<byte> content, Digest digest, string what)
    {
        var actual = Digest.Compute(content);
        if (actual != digest)
        {
            throw new ContentDigestMismatchException(what, digest, actual);
        }
    }

    private static T Parse<T>(ReadOnlySpan<byte> json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string what)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(json, type) ?? throw new ImageException($"{what}: empty JSON document");
        }
        catch (JsonException e)
        {
            throw new ImageException($"{what}: not valid {typeof(T).Name} JSON ({e.Message})", e);
        }
    }
}
