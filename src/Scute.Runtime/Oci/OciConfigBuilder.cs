using Scute.Runtime.Namespace;

namespace Scute.Runtime.Oci;

/// <summary>
/// The runtime-spec config.json for one run: the same effective context the namespace backend
/// applies (see its <see cref="ContainerMounts"/>, <see cref="MaskedPaths"/> and Credentials),
/// written for a runtime to apply. /dev and the mount sources are staged by the oci init stage
/// (<see cref="OciLayout"/>) and bound in, so the runtime adds no device of its own and binds
/// exactly the object Scute checked.
/// </summary>
public static class OciConfigBuilder
{
    private const long RlimitDataBytesPerMb = 1024 * 1024;

    /// <param name="terminal">Give the command a pty of its own (enter, with a terminal on Scute's stdin).</param>
    public static OciConfig Build(RunSpec spec, OciLayout layout, IdRange? outerUids, IdRange? outerGids, bool terminal = false)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(layout);
        var caps = spec.Capabilities.Select(c => "CAP_" + c.ToUpperInvariant()).Order(StringComparer.Ordinal).ToList();
        // No pid namespace of the runtime's: the outer one Scute made for this run is the
        // container's, with Scute's stage as pid 1, so the command is never pid 1 (as with the
        // namespace backend) and the stage reaps orphans and ends them all when it ends.
        var namespaces = new List<OciNamespace>
        {
            new(OciNamespaceType.User), new(OciNamespaceType.Mount), new(OciNamespaceType.Ipc), new(OciNamespaceType.Uts),
        };
        if (spec.NetworkIsolation)
        {
            namespaces.Add(new(OciNamespaceType.Network));
        }

        namespaces.Add(new(OciNamespaceType.Cgroup));
        return new OciConfig
        {
            Process = new OciProcess
            {
                Terminal = terminal,
                User = new OciUser(spec.Uid, spec.Gid, []),
                Args = spec.Command,
                Env = [.. spec.Environment.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}")],
                Cwd = spec.WorkingDir,
                // As the namespace backend: every set holds exactly the granted capabilities, ambient
                // included, so a non-root user keeps them across its execve.
                Capabilities = new OciCapabilities(caps, caps, caps, caps, caps),
                Rlimits = spec.Limits.MemoryLimitMb is { } mb
                    ? [new OciRlimit("RLIMIT_DATA", checked((ulong)mb * RlimitDataBytesPerMb), checked((ulong)mb * RlimitDataBytesPerMb))]
                    : [],
                NoNewPrivileges = spec.NoNewPrivileges,
            },
            Root = new OciRoot(spec.MergedDir, spec.ReadOnlyRoot),
            Hostname = spec.Hostname,
            Mounts = Mounts(spec, layout),
            Linux = new OciLinux
            {
                UidMappings = OciIdMappings.Container(spec.IdMap.InsideUserForHost, outerUids, "uid"),
                GidMappings = OciIdMappings.Container(spec.IdMap.InsideGroupForHost, outerGids, "gid"),
                Namespaces = namespaces,
                Seccomp = OciSeccompTranslator.Translate(spec.Seccomp, spec.Capabilities),
                MaskedPaths = MaskedPaths.Masked,
                ReadonlyPaths = MaskedPaths.ReadOnly,
            },
        };
    }

    private static List<OciMount> Mounts(RunSpec spec, OciLayout layout)
    {
        var mounts = new List<OciMount>
        {
            // The outer pid namespace's /proc (the container shares that namespace, whose owner is
            // the outer user namespace: a new proc mount from the container's is refused).
            new("/proc", "bind", "/proc", ["rbind", "nosuid", "noexec", "nodev"]),
            // A bind of /dev: the runtime then creates no device node of its own.
            new("/dev", "bind", layout.Dev, ["rbind"]),
            // With its own network namespace, a sysfs of its own (only its interfaces); else the host's, read-only throughout.
            spec.NetworkIsolation
                ? new("/sys", "sysfs", "sysfs", ["nosuid", "noexec", "nodev", "ro"])
                : new("/sys", "bind", "/sys", ["rbind", "nosuid", "noexec", "nodev", "rro"]),
        };
        var tmpDirs = spec.ReadOnlyRoot ? new[] { ("/tmp", "1777"), ("/var/tmp", "1777"), ("/run", "755") } : [("/run", "755")];
        mounts.AddRange(tmpDirs.Select(t => new OciMount(t.Item1, "tmpfs", "tmpfs", ["nosuid", "nodev", $"mode={t.Item2}"])));
        mounts.AddRange(spec.Tmpfs.Select(t => new OciMount(t.Path, "tmpfs", "tmpfs", t.UserOwned
            ? ["nosuid", "nodev", $"mode={t.Mode}", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"uid={spec.Uid}"), string.Create(System.Globalization.CultureInfo.InvariantCulture, $"gid={spec.Gid}")]
            : ["nosuid", "nodev", $"mode={t.Mode}"])));
        mounts.AddRange(spec.Mounts.Select((m, i) => new OciMount(m.Target, "bind", layout.Bind(i), m.ReadOnly ? ["rbind", "rro"] : ["rbind"])));
        return mounts;
    }
}
