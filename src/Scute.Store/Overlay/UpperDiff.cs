using Scute.Store.Tar;

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
/// changes further down are not listed. Reads the upper dir only with lstat and readdir.
/// </summary>
public static class UpperDiff
{
    /// <param name="lowerDirs">Lower layers, topmost first (as overlayfs takes them).</param>
    public static IReadOnlyList<PathChange> Compute(string upperDir, IReadOnlyList<string> lowerDirs)
    {
        ArgumentNullException.ThrowIfNull(lowerDirs);
        var changes = new List<PathChange>();
        foreach (var e in TreeWalker.Walk(upperDir))
        {
            var inside = "/" + e.RelativePath.TrimEnd('/');
            var below = LowerType(lowerDirs, inside);
            switch (e.Kind)
            {
                case TreeEntryKind.CharDevice when e.RdevMajor == 0 && e.RdevMinor == 0:
                    if (below is not null)
                    {
                        changes.Add(new PathChange(inside, ChangeKind.Removed));
                    }

                    break;
                case TreeEntryKind.Directory:
                    if (below != Interop.SIfDir)
                    {
                        changes.Add(new PathChange(inside, below is null ? ChangeKind.Added : ChangeKind.Modified));
                    }
                    else if (OverlayMarks.IsOpaque(e.FullPath))
                    {
                        AddHidden(changes, upperDir, lowerDirs, inside);
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

    /// <summary>Lower entries below an opaque folder that the upper does not hold again: removed (topmost only).</summary>
    private static void AddHidden(List<PathChange> changes, string upperDir, IReadOnlyList<string> lowerDirs, string inside)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var lower in lowerDirs)
        {
            var dir = Path.Join(lower, inside);
            if (Interop.LStat(Interop.AtFdCwd, dir, out var st) != 0 || (st.Mode & Interop.SIfMt) != Interop.SIfDir)
            {
                continue;
            }

            string? hiddenDir = null;
            foreach (var e in TreeWalker.Walk(dir))
            {
                if (hiddenDir is not null && e.RelativePath.StartsWith(hiddenDir, StringComparison.Ordinal))
                {
                    continue;
                }

                var path = inside + "/" + e.RelativePath.TrimEnd('/');
                if (Interop.LStat(Interop.AtFdCwd, Path.Join(upperDir, path), out _) == 0)
                {
                    continue;
                }

                hiddenDir = e.Kind == TreeEntryKind.Directory ? e.RelativePath : null;
                if (seen.Add(path))
                {
                    changes.Add(new PathChange(path, ChangeKind.Removed));
                }
            }

            // Layers below an opaque folder are hidden too: only the topmost lower that has it counts.
            break;
        }
    }

    private static uint? LowerType(IReadOnlyList<string> lowerDirs, string inside)
    {
        foreach (var lower in lowerDirs)
        {
            if (Interop.LStat(Interop.AtFdCwd, Path.Join(lower, inside), out var st) == 0)
            {
                return st.Mode & Interop.SIfMt;
            }
        }

        return null;
    }
}
