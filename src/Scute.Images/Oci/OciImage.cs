using Scute.Store;

namespace Scute.Images.Oci;

/// <summary>One platform's image, chosen: the manifest's digest, its config and its layers in order.</summary>
public sealed record OciImage(Digest ManifestDigest, OciDescriptor Config, IReadOnlyList<OciDescriptor> Layers, string? Platform);

/// <summary>
/// Walks from a top document (a tag's manifest or index, or a layout's index.json entry) down to one
/// image manifest, choosing the host's platform in an index, then unpacks it. Shared by the
/// registry and the layout providers; they differ only in how a blob is fetched.
/// </summary>
public static class OciImages
{
    private const int MaxDepth = 3;

    /// <param name="fetch">Returns a manifest's bytes, already checked against the descriptor's digest.</param>
    public static async Task<OciImage> SelectAsync(
        byte[] top, Digest topDigest, Func<OciDescriptor, CancellationToken, Task<byte[]>> fetch, string what, Action<string>? log, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        var bytes = top;
        var digest = topDigest;
        string? platform = null;
        for (var depth = 0; depth < MaxDepth; depth++)
        {
            var doc = OciDocuments.ParseDocument(bytes, $"{what}: manifest {digest}");
            if (!OciDocuments.IsIndex(doc, $"{what}: manifest {digest}"))
            {
                return new OciImage(digest, doc.Config!, doc.Layers!, platform);
            }

            var chosen = PlatformChoice.Choose(doc.Manifests!, PlatformChoice.HostArchitecture, what);
            platform = chosen.Platform?.ToString();
            log?.Invoke($"{what}: using the {platform} image {chosen.Digest} from its index");
            bytes = await fetch(chosen, ct).ConfigureAwait(false);
            digest = chosen.Digest;
        }

        throw new ImageException($"{what}: image indexes nested more than {MaxDepth} deep");
    }

    /// <summary>Reads the config (it must say linux) and applies every layer in order onto <paramref name="rootfs"/>.</summary>
    /// <param name="open">Opens a blob as a stream that checks its digest as it is read.</param>
    public static void Unpack(OciImage image, Func<OciDescriptor, Stream> open, string rootfs, string what)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(open);
        byte[] configBytes;
        using (var config = open(image.Config))
        {
            configBytes = OciDocuments.ReadCapped(config, $"{what}: config {image.Config.Digest}");
        }

        var parsed = OciDocuments.ParseConfig(configBytes, $"{what}: config {image.Config.Digest}");
        if (parsed.Os is { } os && os != "linux")
        {
            throw new ImageException($"{what}: the image is for {os}, not linux");
        }

        for (var i = 0; i < image.Layers.Count; i++)
        {
            var layer = image.Layers[i];
            using var blob = open(layer);
            LayerApplier.Apply(blob, layer.MediaType, rootfs, $"{what}: layer {i + 1} of {image.Layers.Count} ({layer.Digest})");
        }
    }
}
