namespace Scute.Store.Tar;

internal enum TreeEntryKind
{
    Directory,
    RegularFile,
    Symlink,
    CharDevice,
    BlockDevice,
    Fifo,
    Socket,
}

/// <summary>One walked entry. RelativePath uses '/' and ends with '/' for directories.</summary>
internal readonly record struct TreeEntry(
    string RelativePath, string FullPath, TreeEntryKind Kind, uint Permissions, long Size, uint RdevMajor, uint RdevMinor);

/// <summary>
/// The one deterministic walk shared by the packer and the tree digest:
/// depth-first, never following symlinks, and ordered so the sequence of
/// relative paths (directories suffixed with '/') is ordinally sorted.
/// Sorting each folder's children by name (+'/' for folders) gives that global
/// order because every descendant shares its folder's "name/" prefix.
/// Memory is one folder listing per level, not the whole tree.
/// </summary>
internal static class TreeWalker
{
    private static readonly EnumerationOptions ListAll = new()
    {
        AttributesToSkip = 0,
        IgnoreInaccessible = false,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
        MatchType = MatchType.Simple,
    };

    public static IEnumerable<TreeEntry> Walk(string root)
    {
        var full = Path.GetFullPath(root);
        var rootStat = Interop.LStat(full);
        if ((rootStat.Mode & Interop.SIfMt) != Interop.SIfDir)
        {
            throw new DirectoryNotFoundException($"{root} is not a folder");
        }

        var stack = new Stack<IEnumerator<TreeEntry>>();
        stack.Push(List(full, "").GetEnumerator());
        while (stack.Count > 0)
        {
            var top = stack.Peek();
            if (!top.MoveNext())
            {
                top.Dispose();
                stack.Pop();
                continue;
            }

            var entry = top.Current;
            yield return entry;
            if (entry.Kind == TreeEntryKind.Directory)
            {
                stack.Push(List(entry.FullPath, entry.RelativePath).GetEnumerator());
            }
        }
    }

    private static IEnumerable<TreeEntry> List(string dir, string relativeDir)
    {
        var children = new List<TreeEntry>();
        foreach (var path in Directory.EnumerateFileSystemEntries(dir, "*", ListAll))
        {
            var st = Interop.LStat(path);
            var kind = KindOf(st.Mode);
            var name = Path.GetFileName(path);
            var relative = relativeDir + name + (kind == TreeEntryKind.Directory ? "/" : "");
            var size = kind == TreeEntryKind.RegularFile ? checked((long)st.Size) : 0;
            children.Add(new TreeEntry(relative, path, kind, st.Mode & 0xFFFu, size, st.RdevMajor, st.RdevMinor));
        }

        children.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        return children;
    }

    private static TreeEntryKind KindOf(uint mode) => (mode & Interop.SIfMt) switch
    {
        Interop.SIfDir => TreeEntryKind.Directory,
        Interop.SIfReg => TreeEntryKind.RegularFile,
        Interop.SIfLnk => TreeEntryKind.Symlink,
        Interop.SIfChr => TreeEntryKind.CharDevice,
        Interop.SIfBlk => TreeEntryKind.BlockDevice,
        Interop.SIfIfo => TreeEntryKind.Fifo,
        Interop.SIfSock => TreeEntryKind.Socket,
        var other => throw new IOException($"unknown file type {other:x}"),
    };
}
