using Microsoft.Win32.SafeHandles;
using Scute.Core.Interop;

namespace Scute.Store;

/// <summary>
/// store/trash/: trees that a finished command no longer needs (the upper dir a restore
/// replaced), removed after the command has answered. An entry is a folder holding such a tree;
/// it is moved in only after its operation's WAL entry is complete, and nothing in the store
/// names it, so removing an entry, or half of one, at any moment loses nothing and misleads no
/// reader. Whoever removes an entry holds flock(LOCK_EX) on that folder's descriptor for the
/// whole removal: the command that moved it in takes the lock and hands the very descriptor to
/// the remover it starts, so the entry is never unlocked in between. An entry nobody holds is
/// abandoned (its remover died, or a crash came before it started): recovery removes it.
/// </summary>
public sealed class StoreTrash
{
    private readonly StoreLayout _layout;

    internal StoreTrash(StoreLayout layout) => _layout = layout;

    /// <summary>
    /// Under the exclusive store lock, once the operation that made <paramref name="folder"/> (a
    /// folder in store/staging) garbage is complete: renames it to a new entry and returns the
    /// entry locked.
    /// </summary>
    public TrashEntry MoveIn(string folder)
    {
        Directory.CreateDirectory(_layout.TrashDir);
        var entry = Path.Combine(_layout.TrashDir, Guid.NewGuid().ToString("N"));
        Directory.Move(folder, entry);
        // No fsync: lost by a power cut, the rename leaves the folder in staging, which recovery empties as well.
        return TryHold(entry, out _) is { } held
            ? new TrashEntry(entry, held)
            : throw new StoreException($"cannot lock {entry}, just moved there");
    }

    /// <summary>Whether an entry is left that no live remover holds (two syscalls per entry; the folder is usually empty).</summary>
    public bool HasAbandoned()
    {
        // The usual answer: no entry at all (or no trash folder yet).
        if (FolderEntries.Any(_layout.TrashDir) == false)
        {
            return false;
        }

        foreach (var entry in Entries())
        {
            using var held = TryHold(entry, out var notFolder);
            if (held is not null || notFolder)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Under the exclusive store lock: removes each entry no live remover holds, holding its lock
    /// meanwhile. One that <paramref name="remove"/> cannot remove (files of subordinate ids,
    /// without a user namespace) stays, as staging leftovers do. Returns how many were removed.
    /// </summary>
    public int RemoveAbandoned(Action<string> remove)
    {
        ArgumentNullException.ThrowIfNull(remove);
        var removed = 0;
        foreach (var entry in Entries())
        {
            using var held = TryHold(entry, out var notFolder);
            if (held is null && !notFolder)
            {
                continue;
            }

            try
            {
                remove(entry);
                removed++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left for the next recovery or gc, which say what removes it.
            }
        }

        return removed;
    }

    /// <summary>Every entry's path (none when the folder does not exist).</summary>
    public IReadOnlyList<string> Entries()
    {
        try
        {
            return [.. Directory.EnumerateFileSystemEntries(_layout.TrashDir).Order(StringComparer.Ordinal)];
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
    }

    /// <summary>The entry opened and locked, or null: gone, or held by a live remover. <paramref name="notFolder"/>: something else than a folder sits there (no one removes it but recovery).</summary>
    private static SafeFileHandle? TryHold(string entry, out bool notFolder)
    {
        notFolder = false;
        var fd = Libc.open(entry, Interop.ORdOnly | Interop.ODirectory | Interop.ONoFollow | Interop.OCloExec, 0);
        if (fd < 0)
        {
            notFolder = Interop.LastError is Interop.ENotDir or Interop.ELoop;
            return null;
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (Libc.flock(fd, Interop.LockEx | Interop.LockNb) == 0)
        {
            return handle;
        }

        handle.Dispose();
        return null;
    }
}
