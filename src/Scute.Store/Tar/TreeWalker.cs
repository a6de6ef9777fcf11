using Microsoft.Win32.SafeHandles;
using Scute.Core.Interop;

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

/// <summary>
/// One walked entry. RelativePath uses '/' and ends with '/' for folders; Name is its last
/// component; Depth is 1 for the root's children. LinkTarget is set for symlinks only.
/// </summary>
internal readonly record struct TreeEntry(
    string RelativePath, string Name, int Depth, TreeEntryKind Kind, uint Permissions, long Size, uint RdevMajor, uint RdevMinor, string? LinkTarget);

/// <summary>What a walk opens, and the test seam that runs between listing a folder and opening an entry of it.</summary>
internal sealed class TreeWalkOptions
{
    /// <summary>Open regular files for reading (<see cref="TreeWalker.File"/>); otherwise they are only stat'ed.</summary>
    public bool OpenFiles { get; init; }

    /// <summary>Called with an entry's relative path after its folder was listed, before the entry is opened.</summary>
    public Action<string>? BeforeOpen { get; init; }
}

/// <summary>
/// The one deterministic walk shared by the packer, the tree digest and diff: depth-first, and
/// ordered so the sequence of relative paths (folders suffixed with '/') is ordinally sorted.
/// Sorting each folder's children by name (+'/' for folders) gives that global order because
/// every descendant shares its folder's "name/" prefix.
/// <para>
/// It never resolves a path (DESIGN 2.4): a folder is listed from its descriptor (getdents64),
/// each entry is opened or stat'ed by its single name relative to that descriptor with
/// O_NOFOLLOW, and what it reports comes from the descriptor it opened (fstat), not from the
/// listing. A single name with O_NOFOLLOW from the parent's descriptor is all that openat2's
/// RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS would add, so plain openat is enough and works on every
/// kernel. An entry whose type changed between the listing and the open throws
/// <see cref="TreeChangedException"/>; one that disappeared is skipped, as if it had been
/// removed before the walk reached its folder.
/// </para>
/// Memory is one folder listing and one descriptor per level still being walked; a level is
/// closed as soon as its last entry was taken, so a deep chain of single folders stays cheap.
/// </summary>
internal sealed class TreeWalker : IDisposable
{
    private const uint SymlinkPermissions = 0x1FF; // Linux reports every symlink as 0777

    private readonly Stack<Level> _levels = new();
    private readonly TreeWalkOptions _options;
    private SafeFileHandle? _directory;
    private SafeFileHandle? _file;
    private bool _skipChildren;

    private TreeWalker(SafeFileHandle root, bool ownsRoot, TreeWalkOptions options)
    {
        _options = options;
        try
        {
            _levels.Push(new Level(root, ownsRoot, List(root, ""), "", 1));
        }
        catch
        {
            if (ownsRoot)
            {
                root.Dispose();
            }

            throw;
        }
    }

    public TreeEntry Current { get; private set; }

    /// <summary>The current folder's descriptor (its entries are listed from it); valid until the next <see cref="MoveNext"/>.</summary>
    public SafeFileHandle Directory => _directory ?? throw new InvalidOperationException("the current entry is not a folder");

    /// <summary>The current regular file, opened for reading; valid until the next <see cref="MoveNext"/>.</summary>
    public SafeFileHandle File => _file ?? throw new InvalidOperationException("the current entry is not an opened file");

    /// <summary>Walks the folder at <paramref name="root"/>; the root itself must not be a symlink.</summary>
    public static TreeWalker Open(string root, TreeWalkOptions options)
    {
        ArgumentNullException.ThrowIfNull(root);
        var full = Path.GetFullPath(root);
        var fd = Libc.open(full, Interop.ORdOnly | Interop.ODirectory | Interop.ONoFollow | Interop.OCloExec, 0);
        if (fd < 0)
        {
            var errno = Interop.LastError;
            throw errno is Interop.ENotDir or Interop.ELoop or Interop.ENoEnt
                ? new DirectoryNotFoundException($"{root} is not a folder")
                : new IOException($"cannot open {root}: {Interop.ErrorText(errno)}");
        }

        return new TreeWalker(new SafeFileHandle(fd, ownsHandle: true), ownsRoot: true, options);
    }

    /// <summary>Walks a folder already opened by the caller, who keeps ownership of the descriptor.</summary>
    public static TreeWalker Open(SafeFileHandle root, TreeWalkOptions options) => new(root, ownsRoot: false, options);

    /// <summary>Do not walk into the current folder.</summary>
    public void SkipChildren() => _skipChildren = true;

    public bool MoveNext()
    {
        _file?.Dispose();
        _file = null;
        if (_directory is { } dir)
        {
            _directory = null;
            if (_skipChildren)
            {
                dir.Dispose();
            }
            else
            {
                Level level;
                try
                {
                    level = new Level(dir, ownsDir: true, List(dir, Current.RelativePath), Current.RelativePath, Current.Depth + 1);
                }
                catch
                {
                    dir.Dispose();
                    throw;
                }

                _levels.Push(level);
            }
        }

        _skipChildren = false;
        while (_levels.TryPeek(out var level))
        {
            if (level.Next == level.Children.Count)
            {
                Pop();
                continue;
            }

            var child = level.Children[level.Next++];
            var found = Visit(level, child);

            // The parent is only needed to open its children: let it go once the last one is open.
            if (level.Next == level.Children.Count)
            {
                Pop();
            }

            if (found is { } entry)
            {
                Current = entry;
                return true;
            }
        }

        return false;
    }

    public void Dispose()
    {
        _file?.Dispose();
        _directory?.Dispose();
        while (_levels.Count > 0)
        {
            Pop();
        }
    }

    private static List<DirectoryName> List(SafeFileHandle dir, string relativeDir)
    {
        var children = DirectoryEntries.Read(dir, relativeDir);
        children.Sort(static (a, b) => CompareSorted(a, b));
        return children;
    }

    /// <summary>Ordinal order of name + ('/' for folders), without building the strings.</summary>
    private static int CompareSorted(DirectoryName a, DirectoryName b)
    {
        var common = Math.Min(a.Name.Length, b.Name.Length);
        var byName = string.CompareOrdinal(a.Name, 0, b.Name, 0, common);
        if (byName != 0)
        {
            return byName;
        }

        // One name is a prefix of the other: the next character decides ('/' after a folder, none after a file).
        return NextChar(a, common).CompareTo(NextChar(b, common));
    }

    private static int NextChar(DirectoryName n, int at) =>
        at < n.Name.Length ? n.Name[at] : n.Kind == TreeEntryKind.Directory && at == n.Name.Length ? '/' : -1;

    private void Pop()
    {
        var level = _levels.Pop();
        if (level.OwnsDir)
        {
            level.Dir.Dispose();
        }
    }

    /// <summary>Opens (or stats) one listed entry relative to its folder; null when it has gone.</summary>
    private TreeEntry? Visit(Level level, DirectoryName child)
    {
        var relative = level.RelativeDir + child.Name + (child.Kind == TreeEntryKind.Directory ? "/" : "");
        _options.BeforeOpen?.Invoke(relative);
        var parent = ConfinedTree.Fd(level.Dir);
        switch (child.Kind)
        {
            case TreeEntryKind.Directory:
            {
                var handle = OpenChild(level, child, relative, Interop.ORdOnly | Interop.ODirectory);
                if (handle is null)
                {
                    return null;
                }

                _directory = handle; // owned by the walk from here on, whatever happens next
                var st = Stat(handle, relative);
                return Entry(level, child, relative, st.Mode, 0, 0, 0, null);
            }

            case TreeEntryKind.RegularFile when _options.OpenFiles:
            {
                // O_NONBLOCK and O_NOCTTY: if a fifo or a tty took the file's place, opening it neither hangs nor adopts it.
                var handle = OpenChild(level, child, relative, Interop.ORdOnly | Interop.ONonBlock | Interop.ONoCtty);
                if (handle is null)
                {
                    return null;
                }

                _file = handle; // owned by the walk from here on, whatever happens next
                var st = Stat(handle, relative);
                if (DirectoryEntries.KindOfMode(st.Mode) != TreeEntryKind.RegularFile)
                {
                    throw new TreeChangedException(relative, child.Kind, DirectoryEntries.KindOfMode(st.Mode));
                }

                return Entry(level, child, relative, st.Mode, checked((long)st.Size), 0, 0, null);
            }

            case TreeEntryKind.Symlink:
            {
                var target = ReadLink(level, child, relative);
                return target is null ? null : Entry(level, child, relative, SymlinkPermissions, 0, 0, 0, target);
            }

            default:
            {
                // Nothing is read through these (devices, fifos, sockets, files in a metadata-only walk):
                // statx of the single name without following it describes the entry itself.
                var errno = Interop.LStat(parent, child.Name, out var st);
                if (errno == Interop.ENoEnt)
                {
                    return null;
                }

                if (errno != 0)
                {
                    throw new IOException($"cannot stat '{relative}': {Interop.ErrorText(errno)}");
                }

                var now = DirectoryEntries.KindOfMode(st.Mode);
                return now == child.Kind
                    ? Entry(level, child, relative, st.Mode, now == TreeEntryKind.RegularFile ? checked((long)st.Size) : 0, st.RdevMajor, st.RdevMinor, null)
                    : throw new TreeChangedException(relative, child.Kind, now);
            }
        }
    }

    private static TreeEntry Entry(Level level, DirectoryName child, string relative, uint mode, long size, uint major, uint minor, string? target) =>
        new(relative, child.Name, level.Depth, child.Kind, mode & 0xFFFu, size, major, minor, target);

    /// <summary>openat(parent, name, O_NOFOLLOW | flags); null if the entry has gone, TreeChangedException if it is something else now.</summary>
    private static SafeFileHandle? OpenChild(Level level, DirectoryName child, string relative, int flags)
    {
        var fd = Libc.openat(ConfinedTree.Fd(level.Dir), child.Name, flags | Interop.ONoFollow | Interop.OCloExec, 0);
        if (fd >= 0)
        {
            return new SafeFileHandle(fd, ownsHandle: true);
        }

        var errno = Interop.LastError;
        var now = DirectoryEntries.TypeAt(level.Dir, child.Name, level.RelativeDir);
        if (now is null)
        {
            return null;
        }

        // ELOOP (a symlink) and ENOTDIR (not a folder) prove the entry was something else when
        // opened, even if it has been swapped back since.
        var proven = errno == Interop.ELoop || (errno == Interop.ENotDir && child.Kind == TreeEntryKind.Directory);
        if (proven || now != child.Kind)
        {
            throw new TreeChangedException(relative, child.Kind, now == child.Kind ? null : now);
        }

        throw new IOException($"cannot open '{relative}': {Interop.ErrorText(errno)}");
    }

    private static string? ReadLink(Level level, DirectoryName child, string relative)
    {
        var target = DirectoryEntries.ReadLink(level.Dir, child.Name, relative, out var errno);
        if (target is not null)
        {
            return target;
        }

        // EINVAL: the name was not a symlink when it was read, even if it is one again now.
        var now = DirectoryEntries.TypeAt(level.Dir, child.Name, level.RelativeDir);
        return now switch
        {
            null => null,
            TreeEntryKind.Symlink when errno != Interop.EInval => throw new IOException($"cannot read symlink '{relative}': {Interop.ErrorText(errno)}"),
            _ => throw new TreeChangedException(relative, child.Kind, now == child.Kind ? null : now),
        };
    }

    private static Libc.Statx Stat(SafeFileHandle handle, string relative)
    {
        var errno = Interop.FStat(ConfinedTree.Fd(handle), out var st);
        return errno == 0 ? st : throw new IOException($"cannot stat '{relative}': {Interop.ErrorText(errno)}");
    }

    /// <summary>A folder being walked: its descriptor, sorted listing, next index, and its children's depth.</summary>
    private sealed class Level(SafeFileHandle dir, bool ownsDir, List<DirectoryName> children, string relativeDir, int depth)
    {
        public SafeFileHandle Dir { get; } = dir;

        public bool OwnsDir { get; } = ownsDir;

        public List<DirectoryName> Children { get; } = children;

        public string RelativeDir { get; } = relativeDir;

        public int Depth { get; } = depth;

        public int Next { get; set; }
    }
}
