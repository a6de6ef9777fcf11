namespace Scute.Store;

/// <summary>
/// Content hashed into the store's staging area but not yet an object: the caller decides from its
/// digest (a cache key, an expected digest) whether to <see cref="Commit"/> it or let it go.
/// Disposing an uncommitted one deletes it. Read it back through <see cref="OpenRead"/>, which
/// checks the digest again at the end like every object read.
/// </summary>
public sealed class StagedObject : IDisposable
{
    private const UnixFileMode ReadOnlyMode = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private readonly StoreLayout _layout;
    private readonly string _temp;
    private bool _committed;

    internal StagedObject(StoreLayout layout, string temp, Digest digest)
    {
        _layout = layout;
        _temp = temp;
        Digest = digest;
    }

    public Digest Digest { get; }

    /// <summary>Reads the staged (or committed) bytes, re-hashed: a mismatch at the end is <see cref="StoreCorruptionException"/>.</summary>
    public HashingReadStream OpenRead()
    {
        var path = _committed ? _layout.ObjectPath(Digest) : _temp;
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        return new HashingReadStream(file, Digest, path);
    }

    /// <summary>
    /// Makes it the object <see cref="Digest"/>: fsync, read-only, rename into objects/, fsync the
    /// folder. An object already there was made durable when it was placed: the copy is dropped.
    /// </summary>
    public Digest Commit()
    {
        if (_committed)
        {
            return Digest;
        }

        var final = _layout.ObjectPath(Digest);
        if (!File.Exists(final))
        {
            using (var file = new FileStream(_temp, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1))
            {
                file.Flush(flushToDisk: true);
            }

            File.SetUnixFileMode(_temp, ReadOnlyMode);
            File.Move(_temp, final, overwrite: true);
            Interop.FSyncDirectory(_layout.ObjectsDir);
        }
        else
        {
            File.Delete(_temp);
        }

        _committed = true;
        return Digest;
    }

    public void Dispose()
    {
        if (!_committed)
        {
            File.Delete(_temp);
        }
    }
}
