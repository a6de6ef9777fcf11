using Scute.Images.Oci;
using Scute.Images.Registry;
using Scute.Images.Trust;
using Scute.Manifest;
using Scute.Store;

namespace Scute.Images.Providers;

/// <summary>
/// <c>host[:port]/repository[:tag][@sha256:...]</c>: pulled over the distribution API into the
/// object store, then unpacked layer by layer into the image cache under the manifest's digest.
/// </summary>
public static class RegistryImage
{
    public static ResolvedImage Resolve(
        ImageCache cache, ScuteStore store, ImageReference reference, Action<string>? log,
        HttpMessageHandler? transport = null, Func<string, string?>? environment = null, ITransferProgress? progress = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        try
        {
            return Pull(cache, store, reference, log, transport, environment, progress);
        }
        catch (ImageException e)
        {
            throw new ImageException($"base image {reference.Written}: {e.Message}", e);
        }
    }

    private static ResolvedImage Pull(
        ImageCache cache, ScuteStore store, ImageReference reference, Action<string>? log,
        HttpMessageHandler? transport, Func<string, string?>? environment, ITransferProgress? progress)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(store);
        var env = environment ?? Environment.GetEnvironmentVariable;
        var name = RegistryReference.Parse(reference.Location);
        var credential = RegistryCredentials.Find(name.Registry, RegistryCredentials.DefaultFiles(env));
        using var client = new RegistryClient(name.Registry, credential, env(RegistryEndpoint.InsecureVariable), transport);
        // The signature policy decides on the manifest the tag names now; the pull then fetches exactly that digest.
        name = RegistryTrust.Pin(name, client, env, log);
        var puller = new RegistryPuller(client, client, store.Objects, log, progress: progress);
        var image = puller.ResolveAsync(name, CancellationToken.None).GetAwaiter().GetResult();
        var key = "oci-" + image.ManifestDigest.Hex;
        if (!cache.TryGet(key, out _))
        {
            puller.FetchBlobsAsync(name, image, CancellationToken.None).GetAwaiter().GetResult();
        }

        var what = reference.Written;
        var resolved = cache.GetOrAdd(key, rootfs => OciImages.Unpack(image, d => store.Objects.OpenRead(d.Digest), rootfs, what));
        return resolved with { ManifestDigest = image.ManifestDigest };
    }
}
