using Scute.Runtime;
using Scute.Runtime.Namespace;

namespace Scute.Engine.Packages;

/// <summary>Runs one build step inside a rootfs and captures its output (the namespace backend, or a fake in tests).</summary>
public interface IInstallRunner
{
    /// <summary>How ids are mapped in the run (the real runner: the invoking user's subordinate ranges).</summary>
    IdMap IdMap { get; }

    int Run(RunSpec spec, Stream stdout, Stream stderr);

    /// <summary>Makes everything in the spec's upper folder owned by the invoking user (uid 0 inside), so scute can pack and remove it.</summary>
    void Reclaim(RunSpec spec);
}

/// <summary>
/// The install run of a build: the package manager runs in the base rootfs through the namespace
/// backend's stages (so DESIGN §2.4's process boundary holds), with the security context of a
/// build step rather than the environment's (docs/security-model.md, "The install run"):
/// uid 0 of its own user namespace with the invoking user's subordinate ranges mapped, only the
/// capabilities a package manager uses, no_new_privs, the default seccomp filter, its own mount,
/// pid, ipc and uts namespaces, the host network, and no host path but resolv.conf (read-only).
/// Everything it writes lands in the overlay's upper folder, a fresh staging folder.
/// </summary>
public sealed class InstallRun
{
    /// <summary>What dpkg, rpm, pacman and apk do as root: chown files, write root-owned trees, drop to a sandbox user (apt's _apt), set file capabilities.</summary>
    public static readonly IReadOnlyList<string> Capabilities = ["CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "SETFCAP", "SETGID", "SETUID"];

    /// <summary>Proxy settings of the host pass in, as they would to the package manager run on the host.</summary>
    private static readonly string[] PassedVariables = ["http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY"];

    private const string ResolvConf = "/etc/resolv.conf";

    private readonly IInstallRunner runner;
    private readonly RunSpec template;
    private readonly string logDir;
    private readonly TextWriter? verbose;

    /// <param name="rootfs">The base image's unpacked rootfs: the overlay's only lower layer.</param>
    /// <param name="staging">A fresh folder: upper, work and merged are made in it.</param>
    /// <param name="verbose">Where the package manager's own output is copied after each step (-v), or null.</param>
    /// <param name="runnerOverride">Runs the steps instead of the namespace backend (tests: <see cref="EngineContext.InstallRunnerOverride"/>), or null.</param>
    public InstallRun(string rootfs, string staging, TextWriter? verbose, IInstallRunner? runnerOverride = null)
    {
        ArgumentNullException.ThrowIfNull(rootfs);
        ArgumentNullException.ThrowIfNull(staging);
        runner = runnerOverride ?? new BackendRunner();
        this.verbose = verbose;
        logDir = staging;
        UpperDir = Directory.CreateDirectory(Path.Combine(staging, "upper")).FullName;
        var work = Directory.CreateDirectory(Path.Combine(staging, "work")).FullName;
        var merged = Directory.CreateDirectory(Path.Combine(staging, "merged")).FullName;
        template = new RunSpec
        {
            LowerDirs = [rootfs],
            UpperDir = UpperDir,
            WorkDir = work,
            MergedDir = merged,
            Command = ["/bin/true"],
            Hostname = "scute-build",
            Uid = 0,
            Gid = 0,
            ReadOnlyRoot = false,
            NoNewPrivileges = true,
            Capabilities = Capabilities,
            Mounts = ResolvConfMount(rootfs),
            NetworkIsolation = false,
            IdMap = runner.IdMap,
        };
    }

    /// <summary>Everything the steps wrote: the future Dependency layer.</summary>
    public string UpperDir { get; }

    /// <summary>
    /// Runs one command; returns its exit status and the text of its stderr (kept in a file in
    /// the staging folder, so a long install costs no memory). stdout goes to <paramref name="stdout"/>
    /// when given, else to the log.
    /// </summary>
    public (int Status, string ErrorText) Step(IReadOnlyList<string> command, IReadOnlyDictionary<string, string> environment, Stream? stdout = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        var spec = template with { Command = command, Environment = Environment(environment) };
        var outPath = Path.Combine(logDir, "step.out");
        var errPath = Path.Combine(logDir, "step.err");
        int status;
        using (var err = File.Create(errPath))
        using (var log = stdout is null ? File.Create(outPath) : null)
        {
            status = runner.Run(spec, stdout ?? log!, err);
        }

        if (verbose is not null)
        {
            verbose.WriteLine($"scute: {string.Join(' ', command)}");
            foreach (var line in (stdout is null ? File.ReadLines(outPath) : []).Concat(File.ReadLines(errPath)))
            {
                verbose.WriteLine(line);
            }
        }

        return (status, Tail(errPath));
    }

    /// <summary>The end of a log: where a package manager says what failed. A long log is not read whole.</summary>
    private static string Tail(string path)
    {
        const int Keep = 64 * 1024;
        using var file = File.OpenRead(path);
        file.Seek(Math.Max(0, file.Length - Keep), SeekOrigin.Begin);
        using var reader = new StreamReader(file);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// A package manager leaves files owned by other ids (apt's _apt owns its 0700 partial/
    /// folders), which map to subordinate ids on the host that scute cannot read. Layers record
    /// every owner as 0:0 (DESIGN §4), so the upper folder is given to uid 0 of the namespace,
    /// the invoking user, before it is packed: the tree then matches its layer, and scute (and
    /// gc) can read and remove all of it.
    /// </summary>
    public void Reclaim() => runner.Reclaim(template);

    /// <summary>
    /// A bind target the run had to create (an image without /etc/resolv.conf) is an empty file in
    /// the upper folder, not something a package installed: it does not belong in the layer.
    /// </summary>
    public void RemoveMountPoints(string rootfs)
    {
        var placeholder = new FileInfo(Path.Combine(UpperDir, "etc", "resolv.conf"));
        var inImage = new FileInfo(Path.Combine(rootfs, "etc", "resolv.conf"));
        if (!inImage.Exists && inImage.LinkTarget is null && placeholder.Exists && placeholder.LinkTarget is null && placeholder.Length == 0)
        {
            placeholder.Delete();
        }
    }

    private static Dictionary<string, string> Environment(IReadOnlyDictionary<string, string> extra)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            ["HOME"] = "/root",
            ["LANG"] = "C.UTF-8",
        };
        foreach (var name in PassedVariables)
        {
            if (System.Environment.GetEnvironmentVariable(name) is { Length: > 0 } value)
            {
                env[name] = value;
            }
        }

        foreach (var (k, v) in extra)
        {
            env[k] = v;
        }

        return env;
    }

    /// <summary>Refuses, before the store is touched, a build that will have to install packages for a user without subordinate ids.</summary>
    /// <param name="runnerOverride">The runner the build will use instead of the namespace backend, which needs none; or null.</param>
    public static void RequireSubordinateIds(IInstallRunner? runnerOverride)
    {
        if (runnerOverride is null)
        {
            _ = SubordinateMap();
        }
    }

    /// <summary>uid 0 inside is the invoking user; 1..65536 are its subordinate ids, so packages can own files as other users.</summary>
    private static IdMap SubordinateMap()
    {
        var map = IdMapResolver.Resolve(0, 0);
        if (map.SubUids is null || map.SubGids is null)
        {
            throw new EngineException(MissingSubordinateIds(System.Environment.UserName));
        }

        return map;
    }

    public static string MissingSubordinateIds(string user) =>
        $"installing packages needs subordinate ids for user {user}: add the line \"{user}:100000:65536\" (a range no other user has) to /etc/subuid and to /etc/subgid, and install newuidmap/newgidmap (package uidmap)";

    /// <summary>
    /// The host's resolver configuration, read-only, where the base looks for it: /etc/resolv.conf,
    /// or the /run file it links to (systemd-resolved images; /run is a tmpfs in the run). A link
    /// elsewhere is left alone: the run then resolves names as the image does.
    /// </summary>
    private static List<BindMount> ResolvConfMount(string rootfs)
    {
        var host = HostPaths.RealPath(ResolvConf);
        if (host is null)
        {
            return [];
        }

        var inImage = new FileInfo(Path.Combine(rootfs, "etc", "resolv.conf"));
        if (inImage.LinkTarget is not { } link)
        {
            return [new BindMount(host, ResolvConf, ReadOnly: true)];
        }

        var target = Path.GetFullPath(link, "/etc");
        return target.StartsWith("/run/", StringComparison.Ordinal) ? [new BindMount(host, target, ReadOnly: true)] : [];
    }

    private sealed class BackendRunner : IInstallRunner
    {
        private readonly NamespaceBackend backend = new(Runtime.HiddenVerbs.Argv(Runtime.HiddenVerbs.Init));

        public IdMap IdMap { get; } = SubordinateMap();

        public int Run(RunSpec spec, Stream stdout, Stream stderr) => backend.RunCapturing(spec, stdout, stderr);

        /// <summary>
        /// The host's chown, in a user namespace with the same mapping (and new mount, pid and
        /// network namespaces), on the upper folder only; -h changes links, never their targets.
        /// </summary>
        public void Reclaim(RunSpec spec)
        {
            var psi = new System.Diagnostics.ProcessStartInfo(NamespaceBackend.UnsharePath) { UseShellExecute = false, RedirectStandardError = true };
            foreach (var arg in NamespaceBackend.UnshareArguments(spec with { NetworkIsolation = true }))
            {
                psi.ArgumentList.Add(arg);
            }

            foreach (var arg in new[] { "--", "chown", "-R", "-h", "0:0", "--", spec.UpperDir })
            {
                psi.ArgumentList.Add(arg);
            }

            using var process = System.Diagnostics.Process.Start(psi) ?? throw new EngineException("cannot start unshare");
            var errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new EngineException($"cannot take ownership of the installed files in {spec.UpperDir}: {errors.ReplaceLineEndings(" ").Trim()}");
            }
        }
    }
}
