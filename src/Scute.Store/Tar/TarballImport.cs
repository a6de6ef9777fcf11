namespace Scute.Store.Tar;

/// <summary>
/// What one pass over a tarball gave: the rootfs's tree digest (null: walk it) and, staged, the
/// deterministic packer's tar of the rootfs (null: pack the rootfs when its layer is needed).
/// </summary>
public sealed record TarballImportResult(StagedObject? RootfsTar, Digest? TreeDigest);

/// <summary>
/// Extracts a tarball into a rootfs and, in the same pass, stages what
/// <see cref="DeterministicTarPacker.Pack(string, Stream)"/> will make of that rootfs
/// (<see cref="StreamedTarPack"/>): a tarball listing its tree in walk order (one the packer made,
/// or any sorted one) then needs no second read and write of every file for its base layer.
/// The extraction runs on the staging's producer thread while the store hashes and writes the bytes.
/// </summary>
public static class TarballImport
{
    /// <summary>
    /// Extracts <paramref name="tar"/> into <paramref name="rootfs"/> as
    /// <see cref="SafeTarExtractor.Extract"/> with a tree digest does. The caller commits the staged
    /// tar or disposes of it; a failure, or a tarball the packer would not reproduce, leaves nothing staged.
    /// </summary>
    public static TarballImportResult ExtractAndPack(ObjectStore objects, Stream tar, string rootfs)
    {
        ArgumentNullException.ThrowIfNull(objects);
        ArgumentNullException.ThrowIfNull(tar);
        ArgumentNullException.ThrowIfNull(rootfs);
        if (Directory.Exists(rootfs) && Directory.EnumerateFileSystemEntries(rootfs).Any())
        {
            // What was there is part of the tree, not of the entries seen.
            return new TarballImportResult(null, SafeTarExtractor.Extract(tar, rootfs, new ExtractOptions { TreeDigest = true }).TreeDigest);
        }

        ExtractResult? extracted = null;
        var valid = false;
        var staged = objects.Stage(output =>
        {
            using var pack = new StreamedTarPack(output);
            extracted = SafeTarExtractor.Extract(tar, rootfs, new ExtractOptions { TreeDigest = true, Observer = pack });
            pack.Finish();
            valid = pack.Valid;
        });
        if (!valid)
        {
            staged.Dispose();
            staged = null;
            // The staging's buffers and the extraction's large arrays are now garbage on the large
            // object heap, which only a full collection frees: collected here, the packing of the
            // rootfs that follows reuses that memory instead of raising the peak RSS (issue 10: 48 MB).
            GC.Collect();
        }

        return new TarballImportResult(staged, extracted!.TreeDigest);
    }
}
