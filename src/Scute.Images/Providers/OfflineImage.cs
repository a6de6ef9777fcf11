using Scute.Manifest;

namespace Scute.Images.Providers;

/// <summary>
/// build --offline: an image that would be downloaded comes from the image cache or not at all.
/// Which cache entry is known only from a digest: the reference's own, or the one the lock holds.
/// </summary>
internal static class OfflineImage
{
    public static ResolvedImage Resolve(ImageCache cache, ImageReference reference, ImagePin? pin, Digest? lockedManifestDigest)
    {
        var written = reference.Written.Trim();
        switch (reference.Kind)
        {
            case ImageSourceKind.Registry:
                var digest = RegistryReference.Parse(reference.Location).Digest ?? lockedManifestDigest?.ToString();
                if (digest is not null && Digest.TryParse(digest, out var manifest) && cache.TryGet("oci-" + manifest.Hex, out var image))
                {
                    return image! with { ManifestDigest = manifest };
                }

                throw Missing(written, digest is null ? "no digest names it (no @sha256: and no lock that recorded one)" : $"manifest {digest} is not in the image cache");
            case ImageSourceKind.HttpUrl or ImageSourceKind.Alias:
                var sha = reference.Kind == ImageSourceKind.HttpUrl ? reference.Sha256 ?? pin?.Sha256 : pin?.Sha256;
                if (sha is not null && cache.TryGet(LocalImage.TarballKey(sha), out var tarball))
                {
                    return tarball! with { SourceVersion = pin?.Version, SourceSha256 = sha };
                }

                throw Missing(written, sha is null ? "no lock names the version and sha256 it resolved to" : $"the rootfs with sha256 {sha} is not in the image cache");
            default:
                throw new ArgumentOutOfRangeException(nameof(reference), "only downloaded images have an offline form");
        }
    }

    private static ImageException Missing(string written, string why) =>
        new($"--offline: base image {written} would have to be downloaded: {why}; build once without --offline");
}
