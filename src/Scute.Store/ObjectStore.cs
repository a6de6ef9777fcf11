using System.Buffers;
using System.Security.Cryptography;

namespace Scute.Store;

/// <summary>
/// Content-addressed blobs in store/objects/&lt;hex&gt;. Content is streamed into
/// staging while hashed, made durable, then renamed into place read-only, so an
/// object file exists only once it is complete and correct.
/// </summary>
public sealed class ObjectStore
{
    private const UnixFileMode ReadOnlyMode = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
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
        Directory.CreateDirectory(_layout.StagingDir);
        var temp = Path.Combine(_layout.StagingDir, $"object-{Guid.NewGuid():N}");
        try
        {
            Digest digest;
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                Copy(content, file, hash);
                file.Flush(flushToDisk: true);
                digest = Digest.FromHash(hash.GetHashAndReset());
            }

            if (expected is { } want && want != digest)
            {
                throw new ContentDigestMismatchException(source ?? want.ToString(), want, digest);
            }

            var final = _layout.ObjectPath(digest);
            if (!File.Exists(final))
            {
                File.SetUnixFileMode(temp, ReadOnlyMode);
                File.Move(temp, final, overwrite: true);
                Interop.FSyncDirectory(_layout.ObjectsDir);
            }

            return digest;
        }
        finally
        {
            File.Delete(temp);
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
    public Stream OpenRead(Digest d)
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

    public void Verify(Digest d)
    {
        using var stream = OpenRead(d);
        stream.CopyTo(Stream.Null);
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

    private static void Copy(Stream from, Stream to, IncrementalHash hash)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(128 * 1024);
        try
        {
            int n;
            while ((n = from.Read(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, n);
                to.Write(buffer, 0, n);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
