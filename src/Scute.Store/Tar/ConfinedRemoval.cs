using System.Globalization;
using Microsoft.Win32.SafeHandles;
using Scute.Core.Interop;

namespace Scute.Store.Tar;

/// <summary>
/// Deletes an entry, and a folder's whole subtree, relative to an open parent folder without
/// ever following a symlink: a link is unlinked, never entered. Used for OCI whiteouts, where the
/// name comes from an untrusted layer.
/// </summary>
internal static class ConfinedRemoval
{
    private const int EAcces = 13;
    private const uint OwnerAll = 0b111_000_000;

    /// <summary>Removes <paramref name="name"/> in <paramref name="parent"/> if it exists (folders with everything in them).</summary>
    public static void RemoveTree(SafeFileHandle parent, string name, string entryName)
    {
        var type = ConfinedTree.TypeOf(parent, name, entryName);
        if (type is null)
        {
            return;
        }

        if (type == Interop.SIfDir)
        {
            using (var dir = OpenChild(parent, name, entryName))
            {
                EmptyFolder(dir, entryName, keep: null);
            }

            Unlink(parent, name, Interop.AtRemoveDir, entryName);
            return;
        }

        Unlink(parent, name, 0, entryName);
    }

    /// <summary>Removes every child of the folder whose name <paramref name="keep"/> does not accept.</summary>
    public static void EmptyFolder(SafeFileHandle dir, string entryName, Func<string, bool>? keep)
    {
        foreach (var child in ListNames(dir))
        {
            if (keep is null || !keep(child))
            {
                RemoveTree(dir, child, entryName);
            }
        }
    }

    private static IEnumerable<string> ListNames(SafeFileHandle dir)
    {
        // /proc/self/fd/N lists the folder this descriptor holds, wherever it is now: no path is re-resolved.
        var path = "/proc/self/fd/" + ConfinedTree.Fd(dir).ToString(CultureInfo.InvariantCulture);
        return Directory.EnumerateFileSystemEntries(path, "*", new EnumerationOptions { AttributesToSkip = 0, RecurseSubdirectories = false })
            .Select(Path.GetFileName)
            .OfType<string>()
            .ToList();
    }

    private static SafeFileHandle OpenChild(SafeFileHandle parent, string name, string entryName)
    {
        var fd = Libc.openat(ConfinedTree.Fd(parent), name, Interop.ORdOnly | Interop.OCloExec | Interop.ODirectory | Interop.ONoFollow, 0);
        return fd >= 0 ? new SafeFileHandle(fd, ownsHandle: true) : throw ConfinedTree.Failure(entryName, $"cannot open folder '{name}'");
    }

    private static void Unlink(SafeFileHandle parent, string name, int flags, string entryName)
    {
        if (Libc.unlinkat(ConfinedTree.Fd(parent), name, flags) == 0)
        {
            return;
        }

        // A folder made read-only by a lower layer still belongs to us: make it writable to remove from it.
        if (Interop.LastError == EAcces && Libc.fchmod(ConfinedTree.Fd(parent), OwnerAll) == 0
            && Libc.unlinkat(ConfinedTree.Fd(parent), name, flags) == 0)
        {
            return;
        }

        if (Interop.LastError != Interop.ENoEnt)
        {
            throw ConfinedTree.Failure(entryName, $"cannot remove '{name}'");
        }
    }
}
