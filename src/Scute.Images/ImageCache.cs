using System.Globalization;
using Scute.Store;
using Scute.Store.Tar;

namespace Scute.Images;

/// <summary>
/// Unpacked base images under images/&lt;key&gt;/, each made in the store's staging area and
/// renamed into place whole, so a reader never sees a half-unpacked rootfs.
/// </summary>
public sealed class ImageCache
{
    private readonly ScuteStore store;
    private readonly ITransferProgress? progress;

    public ImageCache(ScuteStore store, ITransferProgress? progress = null)
    {
        this.store = store;
        this.progress = progress;
    }

    public bool TryGet(string key, out ResolvedImage? image)
    {
        var dir = store.Layout.ImageDir(key);
        var digestPath = StoreLayout.DigestFileIn(dir);
        if (File.Exists(digestPath) && Digest.TryParse(File.ReadAllText(digestPath).Trim(), out var digest))
        {
            image = new ResolvedImage(key, StoreLayout.RootfsIn(dir), digest);
            return true;
        }

        image = null;
        return false;
    }

    /// <summary>Returns the cached image for the key, or fills a fresh rootfs with <paramref name="fill"/> and caches it.</summary>
    public ResolvedImage GetOrAdd(string key, Action<string> fill) => GetOrAdd(key, rootfs =>
    {
        fill(rootfs);
        return null;
    });

    /// <summary>
    /// Like <see cref="GetOrAdd(string, Action{string})"/>; <paramref name="fill"/> returns the rootfs's
    /// <see cref="TreeDigest"/> when it computed it while filling (null: the rootfs is walked for it).
    /// </summary>
    public ResolvedImage GetOrAdd(string key, Func<string, Digest?> fill)
    {
        if (TryGet(key, out var cached))
        {
            return cached!;
        }

        var staging = store.CreateStagingDir();
        try
        {
            var rootfs = StoreLayout.RootfsIn(staging);
            Directory.CreateDirectory(rootfs);
            Digest? filled;
            using (progress?.Start($"unpack {key[..Math.Min(key.Length, 16)]}", null))
            {
                filled = fill(rootfs);
            }

            var digest = filled ?? TreeDigest.Compute(rootfs);
            AtomicFile.WriteAllText(StoreLayout.DigestFileIn(staging), digest.ToString());
            var target = store.Layout.ImageDir(key);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (Directory.Exists(target))
            {
                // A half-made entry from an interrupted run: move it aside rather than delete in place.
                Directory.Move(target, Path.Combine(store.Layout.StagingDir, "stale-" + key + "-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture)));
            }

            Directory.Move(staging, target);
            return new ResolvedImage(key, StoreLayout.RootfsIn(target), digest);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }
}
