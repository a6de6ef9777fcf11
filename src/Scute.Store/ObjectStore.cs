using System.Buffers;
using System.IO.Pipes;
using System.Security.Cryptography;
using Scute.Core.Interop;

namespace Scute.Store;

/// <summary>
/// Content-addressed blobs in store/objects/&lt;hex&gt;. Content is streamed into
/// staging while hashed, made durable, then renamed into place read-only, so an
/// object file exists only once it is complete and correct.
/// </summary>
public sealed class ObjectStore
{
    private const int CopyBufferSize = 1024 * 1024;
    private const long WritebackChunk = 8 * 1024 * 1024;
    private readonly StoreLayout _layout;

    internal ObjectStore(StoreLayout layout) => _layout = layout;

    public Digest Put(Stream content) => Put(content, expected: null, source: null);

    /// <summary>
    /// Stores content that must hash to <paramref name="expected"/> (a download, streamed straight
    /// in): checked before the rename, so a mismatch leaves nothing behind and throws
    /// <see cref="ContentDigestMismatchException"/> naming <paramref name="source"/>.
    /// </summary>
    public Digest Put(Stream content, Digest expected, string source) => Put(content, (Digest?)expected, source);

    private Digest Put(Stream content, Digest? expected, string? source)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var staged = Stage(content);
        if (expected is { } want && want != staged.Digest)
        {
            throw new ContentDigestMismatchException(source ?? want.ToString(), want, staged.Digest);
        }

        return staged.Commit();
    }

    /// <summary>Streams <paramref name="content"/> into staging while hashing it; nothing is an object until committed.</summary>
    public StagedObject Stage(Stream content)
    {
        ArgumentNullException.ThrowIfNull(content);
        Directory.CreateDirectory(_layout.StagingDir);
        var temp = Path.Combine(_layout.StagingDir, $"object-{Guid.NewGuid():N}");
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1))
            {
                Copy(content, file, hash);
            }

            return new StagedObject(_layout, temp, Digest.FromHash(hash.GetHashAndReset()));
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>
    /// Stages what <paramref name="write"/> produces: it runs on another thread and writes into a
    /// pipe while this thread hashes and writes the staging file, so producing (walking, packing)
    /// and hashing use both cores in constant memory. A failure of either side throws here.
    /// </summary>
    public StagedObject Stage(Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var writer = new AnonymousPipeServerStream(PipeDirection.Out);
        using var reader = new AnonymousPipeClientStream(PipeDirection.In, writer.ClientSafePipeHandle);
        Interop.GrowPipe(writer.SafePipeHandle);
        var produce = Task.Factory.StartNew(
            () =>
            {
                try
                {
                    // Tar headers are 512-byte writes: gather them so the pipe sees large writes.
                    using var buffered = new BufferedStream(writer, CopyBufferSize);
                    write(buffered);
                }
                finally
                {
                    writer.Dispose();
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        StagedObject staged;
        try
        {
            staged = Stage(reader);
        }
        catch
        {
            // Closing our end unblocks a producer stuck on a full pipe, which then fails with a
            // broken pipe: only a producer that had already failed on its own is the cause to
            // report; otherwise this side's error (a full disk, say) is.
            var failedFirst = produce.IsFaulted;
            reader.Dispose();
            if (Failed(produce) && failedFirst)
            {
                produce.GetAwaiter().GetResult();
            }

            throw;
        }

        reader.Dispose();
        try
        {
            produce.GetAwaiter().GetResult();
        }
        catch
        {
            staged.Dispose();
            throw;
        }

        return staged;
    }

    private static bool Failed(Task task)
    {
        try
        {
            task.Wait();
            return false;
        }
        catch (AggregateException)
        {
            return true;
        }
    }

    public Digest PutFile(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        return Put(file);
    }

    public bool Contains(Digest d) => File.Exists(_layout.ObjectPath(d));

    /// <summary>
    /// The object's bytes. Reading to the end re-hashes them; a mismatch throws
    /// <see cref="StoreCorruptionException"/> instead of returning end of stream.
    /// </summary>
    public HashingReadStream OpenRead(Digest d)
    {
        var path = _layout.ObjectPath(d);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        }
        catch (FileNotFoundException ex)
        {
            throw new StoreException($"object {d} is not in the store ({path})", ex);
        }

        return new HashingReadStream(file, d, path);
    }

    /// <summary>
    /// Like <see cref="OpenRead"/>, with the reading and hashing done a few chunks ahead on another
    /// thread (<see cref="ReadAheadObjectStream"/>), for a consumer with work of its own per byte.
    /// </summary>
    public ReadAheadObjectStream OpenReadAhead(Digest d)
    {
        var path = _layout.ObjectPath(d);
        try
        {
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            return new ReadAheadObjectStream(file, d, path);
        }
        catch (FileNotFoundException ex)
        {
            throw new StoreException($"object {d} is not in the store ({path})", ex);
        }
    }

    public void Verify(Digest d)
    {
        using var stream = OpenRead(d);
        stream.CopyTo(Stream.Null, CopyBufferSize);
    }

    public IEnumerable<Digest> List()
    {
        if (!Directory.Exists(_layout.ObjectsDir))
        {
            return [];
        }

        return Directory.EnumerateFiles(_layout.ObjectsDir)
            .Select(p => Digest.TryParse(Path.GetFileName(p), out var d) ? d : (Digest?)null)
            .OfType<Digest>()
            .Order()
            .ToList();
    }

    public void Delete(Digest d)
    {
        File.Delete(_layout.ObjectPath(d));
        Interop.FSyncDirectory(_layout.ObjectsDir);
    }

    /// <summary>
    /// Copies while hashing, and starts the disk writing every <see cref="WritebackChunk"/> bytes
    /// (sync_file_range, which does not wait): the fsync of <see cref="StagedObject.Commit"/> then
    /// finds most of the object already on its way to the disk instead of all of it dirty in memory.
    /// </summary>
    private static void Copy(Stream from, FileStream to, IncrementalHash hash)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            var fd = checked((int)to.SafeFileHandle.DangerousGetHandle());
            long written = 0;
            long flushed = 0;
            int n;
            while ((n = from.Read(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, n);
                to.Write(buffer, 0, n);
                written += n;
                if (written - flushed >= WritebackChunk)
                {
                    // Only a head start: the fsync at commit is what makes the object durable.
                    _ = Libc.sync_file_range(fd, flushed, written - flushed, Libc.SYNC_FILE_RANGE_WRITE);
                    flushed = written;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
