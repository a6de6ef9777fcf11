using Scute.Store.Wal;

namespace Scute.Engine;

/// <summary>
/// The tree removals scute runs as its own hidden verbs: <c>scute __remove-tree &lt;path&gt;</c>
/// (<see cref="Runtime.HiddenVerbs.RemoveTree"/>), started by <see cref="Runtime.NamespaceRemoval"/>
/// inside a user namespace, and <c>scute __remove-trash &lt;entry&gt;</c>
/// (<see cref="Runtime.HiddenVerbs.RemoveTrash"/>), started detached by
/// <see cref="TreeRemovalInBackground"/>. Dispatched from here: Runtime cannot reach the store.
/// </summary>
public static class TreeRemovalVerb
{
    /// <summary>The store's symlink-safe removal with the namespace's rights.</summary>
    public static int Run(string path, TextWriter error) => Removing(() => PathRemoval.Remove(path), error);

    /// <summary>
    /// A store/trash entry, holding the entry's lock inherited from the command that started it
    /// (its descriptor stays open until this process exits). In a session of its own, so a hangup
    /// or Ctrl-C meant for the caller's terminal does not stop it halfway; stopped anyway, it
    /// leaves an entry nobody holds, which the next command's recovery removes.
    /// </summary>
    public static int RunDetached(string entry, TextWriter error)
    {
        _ = Core.Interop.Libc.setsid();
        return Removing(() => TreeRemoval.Remove(entry), error);
    }

    private static int Removing(Action remove, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            remove();
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"scute: {e.Message}");
            return 1;
        }
    }
}
