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

        return cache.GetOrAdd(TarballKey(fileDigest.Hex), rootfs => ExtractTarball(path, rootfs));
    }

    /// <summary>Tarballs are cached by the sha256 of their bytes, wherever they came from: a file here or a download.</summary>
    public static string TarballKey(string sha256Hex) => "tar-" + sha256Hex;

    /// <param name="what">Names the image in messages; the tarball's path when not given.</param>
    public static void ExtractTarball(string path, string rootfs, string? what = null)
    {
        what ??= $"base image {path}";
        try
        {
            using var file = File.OpenRead(path);
            using var tar = Decompression.Open(file);
            SafeTarExtractor.Extract(tar, rootfs);
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

    /// <summary>A folder goes through the deterministic packer, so its cache key is its content and symlinks stay links.</summary>
    private static ResolvedImage ResolveFolder(ImageCache cache, string folder, ScuteStore store)
    {
        var staging = store.CreateStagingDir();
        try
        {
            var tarPath = Path.Combine(staging, "folder.tar");
            Digest tarDigest;
            using (var tar = File.Create(tarPath))
            {
                DeterministicTarPacker.Pack(folder, tar);
            }

            using (var tar = File.OpenRead(tarPath))
            {
                tarDigest = Digest.Compute(tar);
            }

            return cache.GetOrAdd("folder-" + tarDigest.Hex, rootfs =>
            {
                using var tar = File.OpenRead(tarPath);
                SafeTarExtractor.Extract(tar, rootfs);
            });
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }
}
