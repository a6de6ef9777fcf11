using Scute.Images.Oci;
using Scute.Manifest;
using Scute.Store;
using Scute.Store.Tar;

namespace Scute.Images.Providers;

/// <summary>
/// <c>oci:&lt;dir&gt;[:tag]</c> and <c>oci-archive:&lt;file&gt;[:tag]</c>: an OCI image layout on disk, or a tar
/// of one. index.json → (index →) manifest → config + layers, every blob checked against its
/// digest as it is read. The cache key is the chosen manifest's digest.
/// </summary>
public static class OciLayoutImage
{
    private const string RefNameAnnotation = "org.opencontainers.image.ref.name";

    public static ResolvedImage Resolve(ImageCache cache, ScuteStore store, ImageReference reference, Action<string>? log)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(reference);
        var (path, tag) = SplitTag(reference.Location);
        if (reference.Kind == ImageSourceKind.OciLayout)
        {
            return FromLayout(cache, path, tag, reference.Written, log);
        }

        if (!File.Exists(path))
        {
            throw new ImageException($"base image {reference.Written}: no such file {path}");
        }

        // The archive streams into the store's staging area on disk (constant memory), is read there
        // as a layout, and goes. First pass: index.json and the small blobs (manifests, configs);
        // second pass: only the layers of the image chosen, and only if it is not cached.
        var staging = store.CreateStagingDir();
        try
        {
            ExtractArchive(path, staging, reference.Written, (name, size) => !name.StartsWith("blobs/", StringComparison.Ordinal) || size <= OciDocuments.MaxDocumentBytes);
            return FromLayout(cache, staging, tag, reference.Written, log, image =>
            {
                var needed = image.Layers.Select(l => "blobs/sha256/" + l.Digest.Hex).ToHashSet(StringComparer.Ordinal);
                needed.RemoveWhere(n => File.Exists(Path.Combine(staging, n)));
                if (needed.Count > 0)
                {
                    ExtractArchive(path, staging, reference.Written, (name, _) => needed.Contains(name));
                }
            });
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>
    /// "path:tag" → (path, tag). A location that exists whole is a path with no tag; otherwise the
    /// text after the last ':' is the tag unless it contains a '/' (then the ':' is in the path).
    /// </summary>
    public static (string Path, string? Tag) SplitTag(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        var colon = location.LastIndexOf(':');
        if (Path.Exists(location) || colon < 0 || location.AsSpan(colon + 1).Contains('/'))
        {
            return (location, null);
        }

        var tag = location[(colon + 1)..];
        return (location[..colon], tag.Length == 0 ? null : tag);
    }

    internal static void ExtractArchive(string archive, string target, string what, Func<string, long, bool>? include = null)
    {
        try
        {
            using var file = File.OpenRead(archive);
            using var tar = Decompression.Open(file);
            SafeTarExtractor.Extract(tar, target, new ExtractOptions { Include = include });
        }
        catch (UnsafeArchiveException e)
        {
            throw new ImageException($"base image {what}: {e.Message}", e);
        }
        catch (InvalidDataException e)
        {
            throw new ImageException($"base image {what}: not a readable tar archive ({e.Message})", e);
        }
    }

    /// <param name="beforeUnpack">Runs once the image is chosen and only if it must be unpacked (oci-archive fetches its layers then).</param>
    private static ResolvedImage FromLayout(ImageCache cache, string dir, string? tag, string what, Action<string>? log, Action<OciImage>? beforeUnpack = null)
    {
        var layout = new OciLayout(dir, what);
        var top = layout.Choose(tag);
        var image = OciImages.SelectAsync(layout.ReadDocument(top), top.Digest, (d, _) => Task.FromResult(layout.ReadDocument(d)), what, log, CancellationToken.None)
            .GetAwaiter().GetResult();
        var resolved = cache.GetOrAdd("oci-" + image.ManifestDigest.Hex, rootfs =>
        {
            beforeUnpack?.Invoke(image);
            OciImages.Unpack(image, layout.OpenBlob, rootfs, what);
        });
        return resolved with { ManifestDigest = image.ManifestDigest };
    }

    /// <summary>One layout folder: its index.json and its blobs/&lt;alg&gt;/&lt;hex&gt; files.</summary>
    private sealed class OciLayout(string dir, string what)
    {
        public OciDescriptor Choose(string? tag)
        {
            var indexPath = Path.Combine(dir, "index.json");
            if (!File.Exists(indexPath))
            {
                throw new ImageException($"base image {what}: {dir} is not an OCI image layout (no index.json)");
            }

            byte[] bytes;
            using (var file = File.OpenRead(indexPath))
            {
                bytes = OciDocuments.ReadCapped(file, $"{what}: index.json");
            }

            var index = OciDocuments.ParseDocument(bytes, $"{what}: index.json");
            var entries = index.Manifests ?? throw new ImageException($"base image {what}: index.json lists no manifests");
            if (tag is not null)
            {
                return entries.FirstOrDefault(m => m.Annotations?.GetValueOrDefault(RefNameAnnotation) == tag)
                    ?? throw new ImageException($"base image {what}: no image tagged '{tag}' in {dir} (tags: {string.Join(", ", Tags(entries).DefaultIfEmpty("none"))})");
            }

            return entries.Count == 1
                ? entries[0]
                : throw new ImageException($"base image {what}: {dir} holds {entries.Count} images; name one with :<tag> (tags: {string.Join(", ", Tags(entries).DefaultIfEmpty("none"))})");
        }

        public byte[] ReadDocument(OciDescriptor descriptor)
        {
            using var blob = OpenBlob(descriptor);
            return OciDocuments.ReadCapped(blob, $"{what}: manifest {descriptor.Digest}");
        }

        public Stream OpenBlob(OciDescriptor descriptor)
        {
            var path = DockerArchiveImage.Inside(dir, "blobs/sha256/" + descriptor.Digest.Hex, what);
            FileStream file;
            try
            {
                file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            }
            catch (FileNotFoundException e)
            {
                throw new ImageException($"base image {what}: blob {descriptor.Digest} is missing from the layout ({path})", e);
            }

            return HashingReadStream.ForExternal(file, descriptor.Digest, $"base image {what}: blob {descriptor.Digest}");
        }

        private static IEnumerable<string> Tags(List<OciDescriptor> entries) =>
            entries.Select(m => m.Annotations?.GetValueOrDefault(RefNameAnnotation)).OfType<string>();
    }
}
