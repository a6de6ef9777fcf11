using System.Globalization;

namespace Scute.Runtime;

/// <summary>
/// Every hidden verb of the scute binary (a stage scute starts itself as, or a hook another
/// program runs), how to start one, and the one place they are dispatched: Main calls
/// <see cref="Dispatch"/> before anything else, so a stage never reaches the command-line parser.
/// </summary>
public static class HiddenVerbs
{
    /// <summary>The namespace backend's stage (after the native stage made the namespaces).</summary>
    public const string Init = "__init";

    /// <summary>The oci backend's pid 1 inside its outer namespaces.</summary>
    public const string OciInit = "__oci-init";

    /// <summary>The oci backend's stage below its pid 1, which runs the OCI runtime.</summary>
    public const string OciRun = "__oci-run";

    /// <summary>Podman's precreate hook: its runtime config on stdin, Scute's on stdout.</summary>
    public const string PodmanConfig = "__podman-config";

    /// <summary>Started in Podman's namespaces for each podman exec.</summary>
    public const string PodmanGuard = "__podman-guard";

    /// <summary>Symlink-safe tree removal inside a user namespace (<see cref="NamespaceRemoval"/>).</summary>
    public const string RemoveTree = "__remove-tree";

    /// <summary>Removal of a store/trash entry, detached from the command that started it (after that command answered).</summary>
    public const string RemoveTrash = "__remove-trash";

    /// <summary>Set by a program other than scute (scute-tui) to the scute binary: the stages are scute's verbs.</summary>
    public static string? Program { get; set; }

    /// <summary>The command line that starts this very program again as <paramref name="verb"/>.</summary>
    public static IReadOnlyList<string> Argv(string verb)
    {
        var process = Program ?? Environment.ProcessPath ?? throw new ContainerSetupException("cannot locate the scute executable");
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? [process, Path.Combine(AppContext.BaseDirectory, "scute.dll"), verb] // dotnet scute.dll (tests, dotnet run)
            : [process, verb];
    }

    /// <summary>
    /// Runs the hidden verb <paramref name="args"/> name and returns its exit code; null for any
    /// other command line. Tree removals are the caller's: they need the store's removal, which
    /// Runtime cannot reference.
    /// </summary>
    public static int? Dispatch(string[] args, Func<string, TextWriter, int> removeTree, Func<string, TextWriter, int> removeTrash)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(removeTree);
        ArgumentNullException.ThrowIfNull(removeTrash);
        return args switch
        {
            [Init, var spec] => Namespace.ContainerInit.Run(spec),
            [OciInit, var request] => Oci.OciInit.RunAsPidOne(request),
            [OciRun, var request] => Oci.OciInit.Run(request),
            [PodmanConfig] => Podman.PodmanConfigFilter.Run(Console.In, Console.Out, Console.Error, false),
            [PodmanConfig, var option] => Podman.PodmanConfigFilter.Run(Console.In, Console.Out, Console.Error, option == Podman.PodmanConfigFilter.KeepHostname),
            [PodmanGuard, _, _] or [PodmanGuard, _, _, _, _] or [PodmanGuard, _, _, _, _, _, _, _] => RunPodmanGuard(args),
            [RemoveTree, var path] => removeTree(path, Console.Error),
            [RemoveTrash, var entry] => removeTrash(entry, Console.Error),
            _ => null,
        };
    }

    /// <summary><c>scute __podman-guard FD PIDFILE [OVERLAY-OPTIONS MOUNT-POINT [HOME UID GID]]</c>.</summary>
    private static int RunPodmanGuard(string[] args)
    {
        if (!int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out var readEnd))
        {
            return 2;
        }

        var root = Podman.PodmanRoot.Parse(args[3..]);
        return args.Length == 3 || root is not null ? Podman.PodmanGuard.Run(readEnd, args[2], root) : 2;
    }
}
