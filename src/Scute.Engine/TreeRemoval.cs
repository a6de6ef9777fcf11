using Scute.Store.Wal;

namespace Scute.Engine;

/// <summary>
/// Deletes a tree the environment wrote, including folders it made read-only (overlay work
/// dirs are left mode 000 by the kernel), without following any symlink in it
/// (<see cref="PathRemoval"/>). Files of the environment's users belong to subordinate ids the
/// caller cannot delete as itself: those go from inside a user namespace, with the same walk.
/// </summary>
internal static class TreeRemoval
{
    public static void Remove(string path)
    {
        try
        {
            PathRemoval.Remove(path);
        }
        catch (UnauthorizedAccessException) when (Runtime.NamespaceRemoval.TryRemove(path))
        {
            // Removed from inside a user namespace that maps the subordinate ids.
        }
    }
}
