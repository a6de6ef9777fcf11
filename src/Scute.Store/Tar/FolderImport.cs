using System.IO.Pipes;
using System.Runtime.ExceptionServices;

namespace Scute.Store.Tar;

/// <summary>What one read of a folder gave the store: its tar, staged, and its unpacked copy's tree digest.</summary>
public sealed record FolderImportResult(StagedObject Tar, Digest? TreeDigest);

/// <summary>
/// Imports a folder in one read of it: the packer's bytes go both to the object store (hashed
/// and written by one thread) and to the extractor, which unpacks them into the rootfs and
/// computes its tree digest on the way (another thread), while the walk and the packing run on a
/// third. Nothing is read back: before, the object was re-read, re-hashed and unpacked afterwards.
/// </summary>
public static class FolderImport
{
    private const int ChunkSize = 1024 * 1024;

    /// <summary>
    /// Packs <paramref name="folder"/> as it will be extracted into a staged object while unpacking the
    /// same bytes into <paramref name="rootfs"/> (a folder that does not exist yet or is empty).
    /// The caller commits the staged object or disposes of it; a failure leaves nothing staged.
    /// </summary>
    public static FolderImportResult PackAndExtract(ObjectStore objects, string folder, string rootfs)
    {
        ArgumentNullException.ThrowIfNull(objects);
        using var toExtractor = new AnonymousPipeServerStream(PipeDirection.Out);
        using var fromPacker = new AnonymousPipeClientStream(PipeDirection.In, toExtractor.ClientSafePipeHandle);
        Interop.GrowPipe(toExtractor.SafePipeHandle);
        var extract = Task.Factory.StartNew(
            () =>
            {
                try
                {
                    var result = SafeTarExtractor.Extract(fromPacker, rootfs, new ExtractOptions { TreeDigest = true });
                    // The end-of-archive blocks may be left unread: the packer must not see a broken pipe.
                    fromPacker.CopyTo(Stream.Null);
                    return result;
                }
                finally
                {
                    // Unblocks a packer stuck on a full pipe when this side failed.
                    fromPacker.Dispose();
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        StagedObject staged;
        try
        {
            staged = objects.Stage(output =>
            {
                try
                {
                    using var tee = new TeeWriteStream(output, toExtractor, () => RethrowIfFailed(extract));
                    using var buffered = new BufferedStream(tee, ChunkSize);
                    DeterministicTarPacker.PackAsExtracted(folder, buffered);
                }
                finally
                {
                    toExtractor.Dispose();
                }
            });
        }
        catch
        {
            toExtractor.Dispose();
            try
            {
                extract.Wait();
            }
            catch (AggregateException)
            {
                // The packing side failed first (the extractor then saw a short stream): its error is the one to report.
            }

            throw;
        }

        try
        {
            return new FolderImportResult(staged, extract.GetAwaiter().GetResult().TreeDigest);
        }
        catch
        {
            staged.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Removes what <see cref="PackAndExtract"/> unpacked when it is not wanted after all (the store
    /// had the image already), folders made read-only by the image included.
    /// </summary>
    public static void Discard(string rootfs)
    {
        var full = Path.GetFullPath(rootfs);
        using var parent = ConfinedTree.Open(Path.GetDirectoryName(full)!);
        ConfinedRemoval.RemoveTree(parent.Root, Path.GetFileName(full), rootfs);
    }

    /// <summary>A write to the extractor's pipe failed: when the extractor had failed, its error is the cause.</summary>
    private static void RethrowIfFailed(Task extract)
    {
        try
        {
            extract.Wait();
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }
}
