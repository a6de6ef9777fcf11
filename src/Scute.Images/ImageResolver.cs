using Scute.Manifest;
using Scute.Images.Providers;
using Scute.Store;

namespace Scute.Images;

/// <summary>Turns a reference into an unpacked rootfs and its content digest, through the cache.</summary>
public sealed class ImageResolver
{
    private readonly ScuteStore store;
    private readonly ImageCache cache;

    public ImageResolver(ScuteStore store)
    {
        this.store = store;
        cache = new ImageCache(store);
    }

    public ResolvedImage Resolve(ImageReference reference) => reference.Kind switch
    {
        ImageSourceKind.Builtin => BuiltinBusybox.Resolve(cache),
        ImageSourceKind.LocalPath => LocalImage.Resolve(cache, reference.Location, () => store),
        ImageSourceKind.HttpUrl => throw new ImageException($"base image {reference.Written}: download of rootfs tarballs by URL is not supported yet; download it and use its local path"),
        ImageSourceKind.Registry => throw new ImageException($"base image {reference.Written}: OCI registry images are not supported yet; use builtin:busybox, a rootfs tarball or a folder"),
        ImageSourceKind.Alias => throw new ImageException($"base image {reference.Written}: image index aliases are not supported yet; use builtin:busybox, a rootfs tarball or a folder"),
        ImageSourceKind.OciLayout or ImageSourceKind.OciArchive or ImageSourceKind.DockerArchive => throw new ImageException($"base image {reference.Written}: OCI layouts and archives are not supported yet; use builtin:busybox, a rootfs tarball or a folder"),
        _ => throw new ImageException($"base image {reference.Written}: unsupported reference"),
    };
}
