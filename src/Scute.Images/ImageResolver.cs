using Scute.Manifest;
using Scute.Images.Providers;
using Scute.Store;

namespace Scute.Images;

/// <summary>Turns a reference into an unpacked rootfs and its content digest, through the cache.</summary>
public sealed class ImageResolver
{
    private readonly ScuteStore store;
    private readonly ImageCache cache;
    private readonly Action<string>? log;

    /// <param name="log">Receives what -v shows: the platform chosen from an index, the blobs fetched.</param>
    public ImageResolver(ScuteStore store, Action<string>? log = null)
    {
        this.store = store;
        this.log = log;
        cache = new ImageCache(store);
    }

    public ResolvedImage Resolve(ImageReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return reference.Kind switch
        {
            ImageSourceKind.Builtin => BuiltinBusybox.Resolve(cache),
            ImageSourceKind.LocalPath => LocalImage.Resolve(cache, reference.Location, () => store),
            ImageSourceKind.Registry => RegistryImage.Resolve(cache, store, reference, log),
            ImageSourceKind.OciLayout or ImageSourceKind.OciArchive => OciLayoutImage.Resolve(cache, store, reference, log),
            ImageSourceKind.DockerArchive => DockerArchiveImage.Resolve(cache, store, reference.Location, reference.Written),
            ImageSourceKind.HttpUrl => throw new ImageException($"base image {reference.Written}: download of rootfs tarballs by URL is not supported yet; download it and use its local path"),
            ImageSourceKind.Alias => throw new ImageException($"base image {reference.Written}: image index aliases are not supported yet; use builtin:busybox, a rootfs tarball or a folder"),
            _ => throw new ImageException($"base image {reference.Written}: unsupported reference"),
        };
    }
}
