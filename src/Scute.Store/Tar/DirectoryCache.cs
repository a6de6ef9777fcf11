using Microsoft.Win32.SafeHandles;

namespace Scute.Store.Tar;

/// <summary>
/// Open descriptors of the folders entries are written into, keyed by their path below the
/// target. A tar lists a folder's entries together, so most entries reuse the last folder and
/// cost no lookup at all; a folder not seen yet costs one openat2 (<see cref="ConfinedTree.TryOpenBeneath"/>),
/// and one that is missing is made with mkdirat relative to its parent's descriptor, itself from
/// the cache. At most <see cref="Capacity"/> descriptors stay open, whatever the size of the tree.
/// <para>
/// Every descriptor names a real folder inside the target, reached without following a link.
/// The extractor only ever changes the children of an entry's parent; when one of them was
/// replaced or removed (a name taken over by a new entry, a whiteout), the caller calls
/// <see cref="ForgetUnder"/> or <see cref="Reset"/>, so no descriptor is kept for a folder the
/// path no longer leads to: the next entry below it resolves the path again, and a symlink the
/// archive put there is refused like any other.
/// </para>
/// </summary>
/// <param name="beforeNewFolder">
/// Told (components, count) before a folder not in the cache is looked up or made on the way to an entry.
/// </param>
internal sealed class DirectoryCache(ConfinedTree tree, Action<string[], int>? beforeNewFolder = null) : IDisposable
{
    /// <summary>Enough for the folders a tar interleaves; beyond it the cache starts again.</summary>
    public const int Capacity = 64;

    private readonly Dictionary<string, SafeFileHandle> _dirs = new(StringComparer.Ordinal);
    private string? _lastKey;
    private SafeFileHandle? _last;

    /// <summary>
    /// The folder holding the entry with components <paramref name="parts"/> and path
    /// <paramref name="key"/> (made if missing); owned by the cache, valid until the next call.
    /// </summary>
    public SafeFileHandle Parent(string[] parts, string key, string entryName)
    {
        var slash = key.LastIndexOf('/');
        if (slash < 0)
        {
            return tree.Root;
        }

        var folder = key.AsSpan(0, slash);
        if (_last is not null && folder.SequenceEqual(_lastKey))
        {
            return _last;
        }

        var folderKey = folder.ToString();
        if (beforeNewFolder is not null && !_dirs.ContainsKey(folderKey))
        {
            beforeNewFolder(parts, parts.Length - 1);
        }

        _last = Folder(parts, parts.Length - 1, folderKey, entryName);
        _lastKey = folderKey;
        return _last;
    }

    /// <summary>Drops the folder <paramref name="key"/> and every folder below it: it was replaced or removed.</summary>
    public void ForgetUnder(string key)
    {
        List<string>? stale = null;
        foreach (var cached in _dirs.Keys)
        {
            if (cached.StartsWith(key, StringComparison.Ordinal) && (cached.Length == key.Length || cached[key.Length] == '/'))
            {
                (stale ??= []).Add(cached);
            }
        }

        foreach (var cached in stale ?? [])
        {
            _dirs.Remove(cached, out var handle);
            handle!.Dispose();
        }

        if (stale is not null)
        {
            _last = null;
            _lastKey = null;
        }
    }

    /// <summary>Closes every descriptor: the next entry resolves its path from the target again.</summary>
    public void Reset()
    {
        foreach (var handle in _dirs.Values)
        {
            handle.Dispose();
        }

        _dirs.Clear();
        _last = null;
        _lastKey = null;
    }

    public void Dispose() => Reset();

    private SafeFileHandle Folder(string[] parts, int count, string folderKey, string entryName)
    {
        if (count == 0)
        {
            return tree.Root;
        }

        if (_dirs.TryGetValue(folderKey, out var cached))
        {
            return cached;
        }

        var opened = tree.TryOpenBeneath(folderKey, out var errno);
        if (opened is null && errno == Interop.ENoEnt)
        {
            // Made below its parent's descriptor, itself found (or made) the same way.
            var parent = Folder(parts, count - 1, string.Join('/', parts, 0, count - 1), entryName);
            opened = ConfinedTree.OpenChildDir(parent, parts, count - 1, create: true, entryName);
        }

        // No openat2, or a symlink or non-folder on the way: the walk creates or names the refusal.
        opened ??= tree.OpenDir(parts, count, create: true, entryName);
        if (_dirs.Count >= Capacity)
        {
            Reset();
        }

        _dirs.Add(folderKey, opened);
        return opened;
    }
}
