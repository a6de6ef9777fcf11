using Scute.Store.Wal;

namespace Scute.Engine;

/// <summary>How this very program is started again: the namespace backend's init stage, and tree removal inside a user namespace.</summary>
public static class SelfCommand
{
    public const string InitVerb = "__init";

    public const string RemoveTreeVerb = Runtime.NamespaceRemoval.Verb;

    public static IReadOnlyList<string> Init() => Runtime.SelfExecutable.Argv(InitVerb);

    public const string OciInitVerb = Runtime.Oci.OciInit.Verb;

    public const string OciRunVerb = Runtime.Oci.OciInit.RunVerb;

    public static IReadOnlyList<string> OciInit() => Runtime.SelfExecutable.Argv(OciInitVerb);

    /// <summary>
    /// <c>scute __remove-tree &lt;path&gt;</c>, started by <see cref="Runtime.NamespaceRemoval"/> inside a
    /// user namespace: the same symlink-safe removal as everywhere else, with the namespace's rights.
    /// </summary>
    public static int RemoveTree(string path, TextWriter error)
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
