using Microsoft.Win32.SafeHandles;

namespace Scute.Store.Tar;

/// <summary>
/// The open descriptors of the folders leading to the last entry's parent, kept between entries:
/// a tar lists a folder's entries together, so most entries reuse the whole chain and cost no
/// openat at all, and a new folder costs one openat for each component that changed.
/// <para>
/// Every descriptor was opened like <see cref="ConfinedTree.OpenDir"/> does, one name at a time with
/// O_NOFOLLOW from the descriptor before it, so it names a real folder inside the target. The chain
/// is cut back to the common prefix with each new entry's parent before anything is written, and an
/// entry only writes a child of its parent, never a folder of the chain: nothing the archive does
/// can leave a descriptor here pointing at a folder the path no longer leads to.
/// </para>
/// </summary>
internal sealed class DirectoryChain(ConfinedTree tree) : IDisposable
{
    private readonly List<string> _names = [];
    private readonly List<SafeFileHandle> _dirs = [];

    /// <summary>The folder of the first <paramref name="count"/> components (made if missing); owned by the chain.</summary>
    public SafeFileHandle Enter(string[] parts, int count, string entryName)
    {
        var keep = 0;
        while (keep < _names.Count && keep < count && string.Equals(_names[keep], parts[keep], StringComparison.Ordinal))
        {
            keep++;
        }

        Truncate(keep);
        for (var i = keep; i < count; i++)
        {
            var parent = i == 0 ? tree.Root : _dirs[i - 1];
            _dirs.Add(ConfinedTree.OpenChildDir(parent, parts, i, create: true, entryName));
            _names.Add(parts[i]);
        }

        return count == 0 ? tree.Root : _dirs[count - 1];
    }

    /// <summary>Closes every descriptor: the next entry walks its path from the target again.</summary>
    public void Reset() => Truncate(0);

    public void Dispose() => Truncate(0);

    private void Truncate(int count)
    {
        for (var i = _dirs.Count - 1; i >= count; i--)
        {
            _dirs[i].Dispose();
            _dirs.RemoveAt(i);
            _names.RemoveAt(i);
        }
    }
}
