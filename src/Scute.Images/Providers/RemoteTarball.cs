using Scute.Images.Download;
using Scute.Images.Providers.SimpleStreams;
using Scute.Manifest;
using Scute.Store;

namespace Scute.Images.Providers;

/// <summary>
/// A rootfs tarball fetched over http(s): an image server's root.tar.xz or a URL from the manifest.
/// Cached under the same key as a local tarball with the same bytes (its sha256), so when the
/// sha256 is known beforehand a cached image costs no request at all.
/// </summary>
public static class RemoteTarball
{
    /// <summary>
    /// The image behind <paramref name="url"/>: from the cache when <paramref name="expectedSha256"/> is
    /// there, else downloaded into the store's staging folder, verified, unpacked by the safe
    /// extractor and cached. The download itself is always deleted.
    /// </summary>
    public static ResolvedImage Resolve(ImageCache cache, ScuteStore store, HttpClient http, Uri url, string what, string? expectedSha256, long? expectedSize = null, string expectedFrom = "", ITransferProgress? progress = null)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(store);
        if (expectedSha256 is not null && cache.TryGet(LocalImage.TarballKey(expectedSha256), out var cached))
        {
            return cached! with { SourceSha256 = expectedSha256 };
        }

        var staging = store.CreateStagingDir();
        try
        {
            var file = Path.Combine(staging, "rootfs.download");
            var sha256 = VerifiedDownload.ToFile(http, url, file, what, expectedSha256, expectedSize, expectedFrom, progress);
            var image = LocalImage.AddTarball(cache, LocalImage.TarballKey(sha256), () => store, file, what);
            return image with { SourceSha256 = sha256 };
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>An http(s) URL from the manifest: its #sha256= decides, else the lock's sha256, else whatever it serves.</summary>
    public static ResolvedImage ResolveUrl(ImageCache cache, ScuteStore store, HttpClient http, ImageReference reference, ImagePin? pin, ITransferProgress? progress = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var (expected, from) = reference.Sha256 is { } written
            ? (written, "its #sha256=")
            : pin is not null ? (pin.Sha256, "the lock file (delete it to accept what the URL serves now)") : ((string?)null, string.Empty);
        return Resolve(cache, store, http, new Uri(reference.Location), $"base image {reference.Written.Trim()}", expected, expectedFrom: from, progress: progress);
    }

    /// <summary>An alias: the lock's version when it is cached (no request), else the index's root.tar.xz for this host.</summary>
    public static ResolvedImage ResolveAlias(ImageCache cache, ScuteStore store, ImageServer server, HttpClient http, ImageReference reference, ImagePin? pin, ITransferProgress? progress = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(server);
        var alias = reference.Alias!;
        if (pin is not null && cache.TryGet(LocalImage.TarballKey(pin.Sha256), out var cached))
        {
            return cached! with { SourceVersion = pin.Version, SourceSha256 = pin.Sha256 };
        }

        var item = server.Find(alias, ImageServer.HostArchitecture(), pin);
        var what = $"base image {alias.Name} ({item.Product} version {item.Version})";
        var image = Resolve(cache, store, http, server.Under(item.Path), what, item.Sha256, item.Size, $"the image index at {server.BaseUrl}", progress);
        return image with { SourceVersion = item.Version };
    }
}
