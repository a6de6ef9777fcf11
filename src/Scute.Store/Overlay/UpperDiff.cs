using Microsoft.Win32.SafeHandles;
using Scute.Store.Tar;
using Scute.Core.Interop;

namespace Scute.Store.Overlay;

public enum ChangeKind
{
    Added,
    Modified,
    Removed,
}

/// <summary>One changed path, absolute inside the environment ("/etc/hosts").</summary>
public sealed record PathChange(string Path, ChangeKind Kind);

/// <summary>
/// What an overlay upper dir changes against its lower layers: an upper entry missing below is
/// added, one present below is modified (copy-up), a whiteout removes the path below, and an
/// opaque folder removes every lower entry it does not hold again. Folders that only carry
/// changes further down are not listed.
/// <para>
/// Both sides are read from descriptors only (DESIGN 2.4): the upper with <see cref="TreeWalker"/>,
/// the lowers by keeping, beside each upper folder being walked, the same folder opened in each
/// lower with O_NOFOLLOW from its parent. A lower whose folder at some path is a symlink (an
/// image's absolute "lib -> /usr/lib", say) has nothing below that path, as in overlayfs, and is
/// never followed onto the host; each lookup is one statx of one name, never a path re-walked.
/// </para>
/// </summary>
public static class UpperDiff
{
    /// <param name="lowerDirs">Lower layers, topmost first (as overlayfs takes them).</param>
    public static IReadOnlyList<PathChange> Compute(string upperDir, IReadOnlyList<string> lowerDirs) => Compute(upperDir, lowerDirs, beforeOpen: null);

    /// <param name="beforeOpen">Test seam: runs between listing a folder and opening each of its entries.</param>
    internal static IReadOnlyList<PathChange> Compute(string upperDir, IReadOnlyList<string> lowerDirs, Action<string>? beforeOpen)
    {
        ArgumentNullException.ThrowIfNull(lowerDirs);
        var options = new TreeWalkOptions { BeforeOpen = beforeOpen };
        var changes = new List<PathChange>();
        using var lowers = new LowerFolders(lowerDirs);
        using var walk = TreeWalker.Open(upperDir, options);
        while (walk.MoveNext())
        {
            var e = walk.Current;
            lowers.LeaveTo(e.Depth);
            var inside = "/" + e.RelativePath.TrimEnd('/');
            var below = lowers.TypeOf(e.Name);
            switch (e.Kind)
            {
                case TreeEntryKind.CharDevice when e.RdevMajor == 0 && e.RdevMinor == 0:
                    if (below is not null)
                    {
                        changes.Add(new PathChange(inside, ChangeKind.Removed));
                    }

                    break;
                case TreeEntryKind.Directory:
                    lowers.Enter(e.Name);
                    if (below != Interop.SIfDir)
                    {
                        changes.Add(new PathChange(inside, below is null ? ChangeKind.Added : ChangeKind.Modified));
                    }
                    else if (OverlayMarks.IsOpaque(walk.Directory) && lowers.TopmostFolder is { } lowerDir)
                    {
                        // Layers below an opaque folder are hidden too: only the topmost lower that has it counts.
                        using var listable = LowerFolders.Reopen(lowerDir, inside);
                        AddHidden(changes, walk.Directory, listable, inside, options);
                    }

                    break;
                default:
                    changes.Add(new PathChange(inside, below is null ? ChangeKind.Added : ChangeKind.Modified));
                    break;
            }
        }

        changes.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return changes;
    }

    /// <summary>Lower entries below an opaque folder that the upper does not hold again: removed.</summary>
    private static void AddHidden(List<PathChange> changes, SafeFileHandle upperDir, SafeFileHandle lowerDir, string inside, TreeWalkOptions options)
    {
        // The upper folders matching the lower folders being walked; null where the upper has no folder there.
        var uppers = new List<SafeFileHandle?> { upperDir };
        try
        {
            using var walk = TreeWalker.Open(lowerDir, options);
            while (walk.MoveNext())
            {
                var e = walk.Current;
                while (uppers.Count > e.Depth)
                {
                    uppers[^1]?.Dispose();
                    uppers.RemoveAt(uppers.Count - 1);
                }

                var upper = uppers[^1];
                if (upper is not null && Interop.LStat(ConfinedTree.Fd(upper), e.Name, out _) == 0)
                {
                    if (e.Kind == TreeEntryKind.Directory)
                    {
                        uppers.Add(LowerFolders.OpenFolder(upper, e.Name));
                    }

                    continue;
                }

                changes.Add(new PathChange(inside + "/" + e.RelativePath.TrimEnd('/'), ChangeKind.Removed));
                if (e.Kind == TreeEntryKind.Directory)
                {
                    // Removing the folder removes everything in it: its entries are not listed one by one.
                    walk.SkipChildren();
                }
            }
        }
        finally
        {
            // uppers[0] is the caller's.
            for (var i = 1; i < uppers.Count; i++)
            {
                uppers[i]?.Dispose();
            }
        }
    }

    /// <summary>
    /// For the upper folder being walked, the same folder in each lower (topmost first), opened
    /// from its parent there without following a symlink; null where a lower has no such folder.
    /// O_PATH: these are only looked into (statx, openat), which needs no read permission.
    /// </summary>
    private sealed class LowerFolders : IDisposable
    {
        private readonly List<SafeFileHandle?[]> _levels = [];

        public LowerFolders(IReadOnlyList<string> lowerDirs)
        {
            _levels.Add([.. lowerDirs.Select(OpenRoot)]);
        }

        public SafeFileHandle? TopmostFolder => _levels[^1].FirstOrDefault(h => h is not null);

        /// <summary>Back to the folder holding entries of <paramref name="depth"/> (1: the roots).</summary>
        public void LeaveTo(int depth)
        {
            while (_levels.Count > depth)
            {
                Close(_levels[^1]);
                _levels.RemoveAt(_levels.Count - 1);
            }
        }

        /// <summary>File type bits of <paramref name="name"/> in the topmost lower that has it; null if none does.</summary>
        public uint? TypeOf(string name)
        {
            foreach (var dir in _levels[^1])
            {
                if (dir is not null && Interop.LStat(ConfinedTree.Fd(dir), name, out var st) == 0)
                {
                    return st.Mode & Interop.SIfMt;
                }
            }

            return null;
        }

        public void Enter(string name) => _levels.Add([.. _levels[^1].Select(dir => dir is null ? null : OpenFolder(dir, name))]);

        public void Dispose()
        {
            foreach (var level in _levels)
            {
                Close(level);
            }
        }

        /// <summary>The folder <paramref name="name"/> in <paramref name="parent"/> (O_PATH); null if it is missing or anything else (a symlink included).</summary>
        public static SafeFileHandle? OpenFolder(SafeFileHandle parent, string name)
        {
            var fd = Libc.openat(ConfinedTree.Fd(parent), name, PathFlags, 0);
            return fd >= 0 ? new SafeFileHandle(fd, ownsHandle: true) : Missing(name);
        }

        /// <summary>The same folder opened for listing: "." from its own descriptor, no name resolved.</summary>
        public static SafeFileHandle Reopen(SafeFileHandle folder, string inside)
        {
            var fd = Libc.openat(ConfinedTree.Fd(folder), ".", Interop.ORdOnly | Interop.ODirectory | Interop.OCloExec, 0);
            return fd >= 0
                ? new SafeFileHandle(fd, ownsHandle: true)
                : throw new IOException($"cannot list the lower folder {inside}: {Interop.ErrorText(Interop.LastError)}");
        }

        private static int PathFlags => Interop.OPath | Interop.ODirectory | Interop.ONoFollow | Interop.OCloExec;

        private static SafeFileHandle? OpenRoot(string dir)
        {
            var fd = Libc.open(dir, PathFlags, 0);
            return fd >= 0 ? new SafeFileHandle(fd, ownsHandle: true) : Missing(dir);
        }

        private static SafeFileHandle? Missing(string what)
        {
            var errno = Interop.LastError;
            return errno is Interop.ENoEnt or Interop.ENotDir or Interop.ELoop
                ? null
                : throw new IOException($"cannot open lower folder {what}: {Interop.ErrorText(errno)}");
        }

        private static void Close(SafeFileHandle?[] level)
        {
            foreach (var dir in level)
            {
                dir?.Dispose();
            }
        }
    }
}
