using Scute.Store.Wal;

namespace Scute.Engine;

/// <summary>
/// <c>scute __remove-tree &lt;path&gt;</c> (<see cref="Runtime.HiddenVerbs.RemoveTree"/>), started by
/// <see cref="Runtime.NamespaceRemoval"/> inside a user namespace: the store's symlink-safe removal
/// with the namespace's rights. The only hidden verb dispatched from here: Runtime cannot reach the store.
/// </summary>
public static class TreeRemovalVerb
{
    public static int Run(string path, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            PathRemoval.Remove(path);
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"scute: {e.Message}");
            return 1;
        }
    }
}
