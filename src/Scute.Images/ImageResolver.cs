using Scute.Images.Download;
using Scute.Images.Providers;
using Scute.Images.Providers.SimpleStreams;
using Scute.Manifest;
using Scute.Store;

namespace Scute.Images;

/// <summary>Turns a reference into an unpacked rootfs and its content digest, through the cache.</summary>
public sealed class ImageResolver
{
    private readonly ScuteStore store;
    private readonly ImageCache cache;
    private readonly Action<string>? log;
    private readonly Lazy<HttpClient> http;
    private readonly Func<Uri> imageServer;
    private readonly bool offline;
    private readonly ITransferProgress? progress;

    /// <param name="log">Receives what -v shows: the platform chosen from an index, the blobs fetched.</param>
    /// <param name="http">For tests; by default one client made on first use (a build from local sources never makes one).</param>
    /// <param name="imageServer">For tests; by default <c>$SCUTE_IMAGE_SERVER</c> or images.linuxcontainers.org.</param>
    /// <param name="offline">build --offline: nothing is downloaded; what would be must be in the image cache.</param>
    /// <param name="progress">Where downloads and unpacking report how far they are (a terminal), or null.</param>
    public ImageResolver(ScuteStore store, Action<string>? log = null, HttpClient? http = null, Uri? imageServer = null, bool offline = false, ITransferProgress? progress = null)
    {
        this.offline = offline;
        this.progress = progress;
        this.store = store;
        this.log = log;
        cache = new ImageCache(store, progress);
        this.http = http is null ? new Lazy<HttpClient>(ScuteHttp.CreateClient) : new Lazy<HttpClient>(http);
        this.imageServer = imageServer is null ? ImageServer.BaseUrlFromEnvironment : () => imageServer;
    }

    /// <param name="pin">What the lock names for an alias or URL (<see cref="LockedImage.Find"/>): used instead of the newest.</param>
    /// <param name="lockedManifestDigest">The registry manifest digest the lock recorded for this reference (offline builds find the cache entry by it).</param>
    public ResolvedImage Resolve(ImageReference reference, ImagePin? pin = null, Digest? lockedManifestDigest = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (offline && reference.Kind is ImageSourceKind.Registry or ImageSourceKind.HttpUrl or ImageSourceKind.Alias)
        {
            return OfflineImage.Resolve(cache, reference, pin, lockedManifestDigest);
        }

        return reference.Kind switch
        {
            ImageSourceKind.Builtin => BuiltinBusybox.Resolve(cache),
            ImageSourceKind.LocalPath => LocalImage.Resolve(cache, reference.Location, () => store),
            ImageSourceKind.Registry => RegistryImage.Resolve(cache, store, reference, log, progress: progress),
            ImageSourceKind.OciLayout or ImageSourceKind.OciArchive => OciLayoutImage.Resolve(cache, store, reference, log),
            ImageSourceKind.DockerArchive => DockerArchiveImage.Resolve(cache, store, reference.Location, reference.Written),
            ImageSourceKind.HttpUrl => RemoteTarball.ResolveUrl(cache, store, http.Value, reference, pin, progress),
            ImageSourceKind.Alias => RemoteTarball.ResolveAlias(cache, store, new ImageServer(imageServer(), http.Value), http.Value, reference, pin, progress),
            _ => throw new ImageException($"base image {reference.Written}: unsupported reference"),
        };
    }
}
