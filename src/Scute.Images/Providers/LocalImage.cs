using Scute.Store;
using Scute.Store.Tar;

namespace Scute.Images.Providers;

/// <summary>A rootfs tarball (tar, gz, xz, zst) or a folder on this machine.</summary>
public static class LocalImage
{
    public static ResolvedImage Resolve(ImageCache cache, string path, Func<ScuteStore> store)
    {
        if (Directory.Exists(path))
        {
            return ResolveFolder(cache, path, store());
        }

        if (!File.Exists(path))
        {
            throw new ImageException($"base image {path}: no such file or folder");
        }

        Digest fileDigest;
        using (var s = File.OpenRead(path))
        {
            fileDigest = Digest.Compute(s);
        }

        // The key comes first, from a read of its own: a cached image is not extracted at all.
        return AddTarball(cache, TarballKey(fileDigest.Hex), store, path, what: null);
    }

    /// <summary>
    /// The image of a tarball, extracted into the cache unless it is there already. Extracted now, it
    /// carries the rootfs's deterministic tar, made in the same pass, as <see cref="ResolvedImage.RootfsTar"/>
    /// when the tarball listed its tree in walk order: its base layer then needs no second packing.
    /// </summary>
    public static ResolvedImage AddTarball(ImageCache cache, string key, Func<ScuteStore> store, string path, string? what)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(store);
        Digest? rootfsTar = null;
        var image = cache.GetOrAdd(key, rootfs =>
        {
            var (tree, tar) = ExtractTarball(store().Objects, path, rootfs, what);
            rootfsTar = tar;
            return tree;
        });
        return rootfsTar is { } packed ? image with { RootfsTar = packed } : image;
    }

    /// <summary>Tarballs are cached by the sha256 of their bytes, wherever they came from: a file here or a download.</summary>
    public static string TarballKey(string sha256Hex) => "tar-" + sha256Hex;

    /// <param name="what">Names the image in messages; the tarball's path when not given.</param>
    /// <returns>
    /// The rootfs's tree digest, and the object holding its deterministic tar (committed), when the
    /// tarball listed it in walk order; else null (walk the rootfs, pack it).
    /// </returns>
    public static (Digest? TreeDigest, Digest? RootfsTar) ExtractTarball(ObjectStore objects, string path, string rootfs, string? what = null)
    {
        what ??= $"base image {path}";
        try
        {
            TarballImportResult import;
            using (var file = File.OpenRead(path))
            using (var tar = Decompression.Open(file))
            {
                import = TarballImport.ExtractAndPack(objects, tar, rootfs);
            }

            using (import.RootfsTar)
            {
                return (import.TreeDigest, import.RootfsTar?.Commit());
            }
        }
        catch (UnsafeArchiveException e)
        {
            throw new ImageException($"{what}: unsafe archive entry refused: {e.Message}", e);
        }
        catch (InvalidDataException e)
        {
            throw new ImageException($"{what}: not a readable tar archive ({e.Message})", e);
        }
    }

    /// <summary>
    /// A folder goes through the deterministic packer, so its cache key is its content and symlinks
    /// stay links. One read of the folder: it is packed as the extractor will unpack it, and those
    /// bytes are hashed into the store and unpacked into a staged rootfs at the same time, its tree
    /// digest computed on the way (<see cref="FolderImport"/>); the same object is the base layer's
    /// tar, since it is the rootfs's own tar. The key is only known once all is read: when the store
    /// has the image already, the staged rootfs is dropped.
    /// </summary>
    private static ResolvedImage ResolveFolder(ImageCache cache, string folder, ScuteStore store)
    {
        var staging = store.CreateStagingDir();
        var unpacked = StoreLayout.RootfsIn(staging);
        try
        {
            var import = FolderImport.PackAndExtract(store.Objects, folder, unpacked);
            Digest tar;
            using (import.Tar)
            {
                tar = import.Tar.Commit();
            }

            var image = cache.GetOrAdd("folder-" + tar.Hex, rootfs =>
            {
                Directory.Delete(rootfs);
                Directory.Move(unpacked, rootfs);
                return import.TreeDigest;
            });
            return image with { RootfsTar = tar };
        }
        finally
        {
            if (Directory.Exists(unpacked))
            {
                FolderImport.Discard(unpacked);
            }

            Directory.Delete(staging);
        }
    }
}
