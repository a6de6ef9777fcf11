namespace Scute.Store.Tar;

/// <summary>
/// OCI image-spec whiteouts (layer.md, "Whiteouts"): ".wh.&lt;name&gt;" removes &lt;name&gt; from the
/// layers below, ".wh..wh..opq" removes everything the layers below put in its folder. The
/// folder holding a marker is reached without following links (a whiteout through a symlink is
/// refused like any write through one) and a marker that names "." or ".." is refused.
/// </summary>
internal static class OciWhiteouts
{
    public const string Prefix = ".wh.";
    public const string Opaque = ".wh..wh..opq";

    /// <summary>Applies the entry if it is a whiteout marker; false for an ordinary entry.</summary>
    public static bool TryApply(ConfinedTree tree, string[] parts, string entryName, IReadOnlySet<string> writtenByThisLayer)
    {
        var marker = parts[^1];
        if (!marker.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var folder = parts[..^1];
        var folderKey = TarPath.Key(folder);
        if (marker == Opaque)
        {
            using var dir = TryOpenFolder(tree, folder, entryName);
            if (dir is not null)
            {
                ConfinedRemoval.EmptyFolder(dir, entryName, child => writtenByThisLayer.Contains(Join(folderKey, child)));
            }

            return true;
        }

        var victim = marker[Prefix.Length..];
        if (victim is "" or "." or ".." || victim.Contains('/', StringComparison.Ordinal))
        {
            throw new UnsafeArchiveException(entryName, $"whiteout names '{victim}'; only a plain name in the marker's folder can be removed");
        }

        using var parent = TryOpenFolder(tree, folder, entryName);
        if (parent is not null)
        {
            ConfinedRemoval.RemoveTree(parent, victim, entryName);
        }

        return true;
    }

    /// <summary>The marker's folder, or null when a lower layer never made it (nothing to remove).</summary>
    private static Microsoft.Win32.SafeHandles.SafeFileHandle? TryOpenFolder(ConfinedTree tree, string[] folder, string entryName)
    {
        try
        {
            return tree.OpenDir(folder, folder.Length, create: false, entryName);
        }
        catch (IOException)
        {
            // Missing: a whiteout of something no lower layer has is a no-op. A symlink on the way
            // is an UnsafeArchiveException (not an IOException) and propagates.
            return null;
        }
    }

    private static string Join(string folderKey, string child) => folderKey.Length == 0 ? child : folderKey + "/" + child;
}
