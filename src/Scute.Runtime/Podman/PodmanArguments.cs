using System.Globalization;

namespace Scute.Runtime.Podman;

/// <summary>
/// The `podman run` command line that applies a run spec's whole security context, the same one
/// the namespace backend applies itself (DESIGN §2.4). Pure: inspect prints it, the backend runs it.
/// </summary>
public static class PodmanArguments
{
    public const string EnvIdLabel = "org.scute.env-id";

    /// <summary>The devices every container of Podman has; others are added with --device.</summary>
    private static readonly HashSet<string> StandardDevices = new(StringComparer.Ordinal) { "null", "zero", "full", "random", "urandom", "tty" };

    /// <param name="seccompFile">The resolved profile written as OCI JSON; null for unconfined.</param>
    /// <param name="generatedFiles">The folder holding the spec's generated root files, the i-th as file "i" (passwd, group), and Scute's hook (<see cref="PodmanConfigFilter"/>).</param>
    public static IReadOnlyList<string> Run(RunSpec spec, string? seccompFile, string generatedFiles = "<run folder>")
    {
        ArgumentNullException.ThrowIfNull(spec);
        var image = spec.Image ?? throw new ContainerSetupException("the podman backend needs the environment's image; none was prepared");
        var a = new List<string> { "--log-level", "error", "--hooks-dir", generatedFiles, "run", "--rm", "-i" };
        if (spec.Terminal)
        {
            a.Add("-t");
        }

        if (spec.EnvId is { } id)
        {
            a.AddRange(["--label", $"{EnvIdLabel}={id}"]);
        }

        // An init as the container's first process, as the other backends have Scute's stage: the
        // command is never pid 1, so a signal it has no handler for (scute stop's SIGTERM) ends it.
        // Its pid is the one Scute's guard ends when scute dies (PodmanGuard).
        a.AddRange(["--init", "--pidfile", PidFile(generatedFiles)]);
        a.AddRange(["--hostname", spec.Hostname, "--user", Invariant($"{spec.Uid}:{spec.Gid}")]);
        if (KeepsHostId(spec))
        {
            // dev: the invoking user at the same uid, so workspace files keep their owner.
            a.AddRange(["--userns", "keep-id"]);
        }

        if (spec.ReadOnlyRoot)
        {
            a.Add("--read-only");
        }

        foreach (var (path, mode) in TmpfsDirs(spec.ReadOnlyRoot))
        {
            a.AddRange(["--tmpfs", $"{path}:rw,nosuid,nodev,mode={mode}"]);
        }

        // On a cgroup v1 host Podman puts a writable tmpfs at /sys/fs/cgroup (the controllers
        // below it read-only); the other backends have nothing writable under /sys.
        a.AddRange(["--mount", CgroupMask]);
        if (spec.NoNewPrivileges)
        {
            a.AddRange(["--security-opt", "no-new-privileges"]);
        }

        a.AddRange(["--cap-drop", "ALL"]);
        foreach (var cap in spec.Capabilities.Order(StringComparer.Ordinal))
        {
            a.AddRange(["--cap-add", cap]);
        }

        a.AddRange(["--security-opt", "seccomp=" + (seccompFile ?? "unconfined")]);
        // Without isolation the namespace backend shares the host's network; so does this.
        a.AddRange(["--network", spec.NetworkIsolation ? "none" : "host"]);
        foreach (var device in spec.Devices.Where(d => !StandardDevices.Contains(d)).Order(StringComparer.Ordinal))
        {
            a.AddRange(["--device", "/dev/" + device]);
        }

        foreach (var node in spec.DeviceNodes)
        {
            a.AddRange(["--device", node.HostPath == node.Path ? node.Path : $"{node.HostPath}:{node.Path}"]);
        }

        // A tmpfs home as the namespace backend's (U: podman gives it to the --user; its parser has
        // no uid=/gid=); on the environment's own overlay the home is a folder of it (PodmanGuard).
        if (spec.Home is { } home && (home.Tmpfs || !RunsOnRootfs(spec)))
        {
            a.AddRange(["--tmpfs", $"{home.Path}:rw,nosuid,nodev,mode=700,U"]);
        }

        foreach (var t in spec.Tmpfs)
        {
            // U gives a user-owned one to the --user, as for the home.
            a.AddRange(["--tmpfs", $"{t.Path}:rw,nosuid,nodev,mode={t.Mode}{(t.UserOwned ? ",U" : string.Empty)}"]);
        }

        foreach (var m in spec.Mounts)
        {
            a.AddRange(["--volume", Volume(m)]);
        }

        // The account files and the host's localtime, read-only over the image's, as the namespace backend lays them.
        for (var i = 0; i < spec.RootFiles.Count; i++)
        {
            var file = spec.RootFiles[i];
            var source = file.Content is null ? file.HostSource! : System.IO.Path.Combine(generatedFiles, i.ToString(CultureInfo.InvariantCulture));
            a.AddRange(["--volume", Volume(new BindMount(source, file.Target, ReadOnly: true))]);
        }

        // Podman's own defaults (TERM, container ...) go: only the allow-list reaches the command.
        a.Add("--unsetenv-all");
        foreach (var (name, value) in spec.Environment.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            a.AddRange(["--env", $"{name}={value}"]);
        }

        if (spec.Limits.MemoryLimitMb is { } mb)
        {
            var bytes = checked(mb * 1024 * 1024);
            a.AddRange(["--ulimit", Invariant($"data={bytes}:{bytes}")]);
        }

        // A writable root runs on the environment's own overlay (mounted by PodmanGuard in Podman's
        // namespace), so its changes are kept in its upper folder as with the namespace backend.
        a.AddRange(RunsOnRootfs(spec) ? ["--workdir", spec.WorkingDir, "--rootfs", RootfsPath(generatedFiles)] : ["--workdir", spec.WorkingDir, image]);
        a.AddRange(spec.Command);
        return a;
    }

    /// <summary>Whether the command runs on the environment's overlay (a writable root, whose changes are kept) rather than the image.</summary>
    public static bool RunsOnRootfs(RunSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return !spec.ReadOnlyRoot;
    }

    /// <summary>The mount point of the environment's overlay for --rootfs.</summary>
    public static string RootfsPath(string generatedFiles) => generatedFiles + "/root";

    /// <summary>Where podman writes the pid of the container's first process.</summary>
    public static string PidFile(string generatedFiles) => generatedFiles + "/pid";

    /// <summary>An empty read-only tmpfs over /sys/fs/cgroup.</summary>
    public const string CgroupMask = "type=tmpfs,destination=/sys/fs/cgroup,ro=true,notmpcopyup";

    /// <summary>/tmp, /var/tmp and /run as the namespace backend mounts them (only /run on a writable root).</summary>
    public static IReadOnlyList<(string Path, string Mode)> TmpfsDirs(bool readOnlyRoot) =>
        readOnlyRoot ? [("/tmp", "1777"), ("/var/tmp", "1777"), ("/run", "755")] : [("/run", "755")];

    /// <summary>dev maps the invoking user in at its own uid; strict runs as a fixed id inside.</summary>
    public static bool KeepsHostId(RunSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.IdMap.SubUids is null && spec.IdMap.HostUid == spec.Uid && spec.IdMap.InsideUserForHost == spec.Uid;
    }

    /// <summary>-v source:target:ro|rw. The paths were resolved and checked by the engine; a ':' or ',' would change the meaning.</summary>
    public static string Volume(BindMount m)
    {
        ArgumentNullException.ThrowIfNull(m);
        foreach (var path in new[] { m.Source, m.Target })
        {
            if (path.Contains(':', StringComparison.Ordinal) || path.Contains(',', StringComparison.Ordinal))
            {
                throw new ContainerSetupException($"mount path {path} contains ':' or ',', which podman's --volume cannot carry; rename the folder");
            }
        }

        return $"{m.Source}:{m.Target}:{(m.ReadOnly ? "ro" : "rw")}";
    }

    /// <summary>The command line as a shell would take it back, for inspect.</summary>
    public static string Quote(IEnumerable<string> argv) =>
        string.Join(' ', argv.Select(a => a.Length > 0 && a.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=,@%+".Contains(c, StringComparison.Ordinal)) ? a : "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
