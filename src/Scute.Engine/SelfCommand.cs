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

    public const string PodmanConfigVerb = Runtime.Podman.PodmanConfigFilter.Verb;

    /// <summary><c>scute __podman-config [--keep-hostname]</c>, run by podman as Scute's precreate hook.</summary>
    public static int PodmanConfig(string? option, TextReader input, TextWriter output, TextWriter error) =>
        Runtime.Podman.PodmanConfigFilter.Run(input, output, error, option == Runtime.Podman.PodmanConfigFilter.KeepHostname);

    public const string PodmanGuardVerb = Runtime.Podman.PodmanGuard.Verb;

    /// <summary><c>scute __podman-guard FD PIDFILE [OVERLAY-OPTIONS MOUNT-POINT [HOME UID GID]]</c>, started in Podman's namespaces for each podman exec.</summary>
    public static int PodmanGuard(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length < 3 || !int.TryParse(args[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var readEnd))
        {
            return 2;
        }

        var root = Runtime.Podman.PodmanRoot.Parse(args[3..]);
        return args.Length == 3 || root is not null ? Runtime.Podman.PodmanGuard.Run(readEnd, args[2], root) : 2;
    }

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
