using Scute.Engine.Devices;
using Scute.Engine.Prepared;
using Scute.Policy;
using Scute.Policy.Checks;
using Scute.Policy.Host;
using Scute.Runtime;
using Scute.Store;

namespace Scute.Engine;

/// <summary>
/// Turns a built environment and its effective security context into a backend's run spec:
/// the environment-only half as build prepared it (<see cref="ExecPreparation"/>), made on the
/// spot when there is no usable prepared file, and what each run re-checks or brings.
/// </summary>
public static class RunSpecBuilder
{
    private const string ContainerPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <param name="hostDevices">Whether to bind this host's GPU nodes and apply its CDI specs (exec, inspect); an export carries only the portable grants.</param>
    internal static RunSpec Build(ScuteStore store, EnvironmentMetadata env, IReadOnlyList<string> command, string? workingDir, bool hostDevices = true) =>
        Prepare(store, env, command, workingDir, hostDevices).Spec;

    /// <summary>The run spec with the context and host policy it was made from, for what exec adds at run time (the desktop session).</summary>
    internal static (RunSpec Spec, EffectiveSecurityContext Security, HostPolicy Host) Prepare(ScuteStore store, EnvironmentMetadata env, IReadOnlyList<string> command, string? workingDir, bool hostDevices = true)
    {
        var rootfs = store.Layout.ImageRootfs(env.ImageKey);
        if (!Directory.Exists(rootfs))
        {
            throw new EngineException($"the base image of {env.ShortId} is no longer in the store; run scute build again");
        }

        // Verified, not recomputed: a changed host policy file or changed metadata makes it stale.
        var prepared = ExecPreparation.Load(store, env);
        var security = prepared?.Security ?? SecurityContextJson.Parse(env.SecurityJson);
        var host = prepared?.HostPolicy.ToHostPolicy() ?? HostPolicyLoader.Load();
        prepared ??= ExecPreparation.Compute(store, env, security, host, "");
        return (Assemble(store, env, security, host, prepared, command, workingDir, hostDevices), security, host);
    }

    /// <summary>The prepared parts plus what each run brings: mount checks, the caller's folder and variables, the host's devices.</summary>
    internal static RunSpec Assemble(ScuteStore store, EnvironmentMetadata env, EffectiveSecurityContext security, HostPolicy host, PreparedExec prepared, IReadOnlyList<string> command, string? workingDir, bool hostDevices)
    {
        var dirs = EnvironmentDirs.Create(store.Layout.EnvDir(env.EnvId));
        var uid = security.User ?? UidInfo.EffectiveUid;
        var gid = security.Group ?? UidInfo.EffectiveGid;
        var idMap = security.User is null ? IdMapResolver.Single(uid, gid) : IdMapResolver.Resolve(uid, gid);
        var devices = hostDevices ? DeviceGrants.Expand(security.Devices) : DeviceGrants.Portable(security.Devices);
        List<BindMount> mounts = [.. Mounts(host, prepared.Mounts, Path.GetDirectoryName(env.ManifestPath) ?? "/", security), .. devices.Mounts];
        foreach (var lower in prepared.LowerDirs.Where(d => !Directory.Exists(d)))
        {
            throw new EngineException($"a layer of {env.ShortId} is no longer in the store ({lower}); run scute build again");
        }

        // Read once: the account feeds the /etc files, the environment, the login shell and the start folder.
        var account = prepared.Account is { } stored && stored.Uid == uid && stored.Gid == gid
            ? stored
            : ExecPreparation.Account(Accounts.AccountTrees.Layered(dirs.Upper, prepared.LowerDirs, prepared.LowerAnswers), uid, gid, dev: security.User is null, security.ReadOnlyRoot, mounts);
        return new RunSpec
        {
            LowerDirs = prepared.LowerDirs,
            UpperDir = dirs.Upper,
            WorkDir = dirs.Work,
            MergedDir = dirs.Merged,
            Command = command.Count > 0 ? command : account.LoginShell,
            Environment = Environment(security, host, account, env.Name ?? env.ShortId, devices.Environment),
            WorkingDir = workingDir ?? StartFolder(account, mounts),
            Hostname = env.Name ?? env.ShortId,
            Uid = uid,
            Gid = gid,
            ReadOnlyRoot = security.ReadOnlyRoot,
            NoNewPrivileges = security.NoNewPrivileges,
            Capabilities = [.. security.Capabilities.Keys],
            Seccomp = prepared.Seccomp,
            SeccompProgram = prepared.SeccompProgram,
            Mounts = mounts,
            RootFiles = [.. account.Files, .. HostLocalTime.File()],
            Home = account.HomeSpec,
            Devices = devices.Devices,
            DeviceNodes = devices.Nodes,
            NetworkIsolation = security.NetworkIsolation,
            IdMap = idMap,
            Limits = prepared.Limits,
        };
    }

    /// <summary>The manifest's resource limits, as recorded at build.</summary>
    public static LimitSpec Limits(string manifestJson) => ExecPreparation.Limits(manifestJson);

    /// <summary>Every run: each source's symlinks followed again and checked against the host policy and the secret locations.</summary>
    private static List<BindMount> Mounts(HostPolicy host, IReadOnlyList<PreparedMount> manifestMounts, string manifestFolder, EffectiveSecurityContext security)
    {
        // Resolving every secret location costs a few hundred syscalls: only when there is a mount to check.
        var denied = manifestMounts.Count > 0 ? SecretLocations.ForInvokingUser(host) : [];
        var mounts = new List<BindMount>();
        foreach (var m in manifestMounts)
        {
            // Symlinks are followed here and the result is what the init stage opens (DESIGN §2.4).
            var resolved = ResolveLinks(m.Source);
            if (!MountsCheck.IsAllowedSource(resolved, host, manifestFolder))
            {
                throw new PolicyViolationException($"mount source {m.Source} now resolves to {resolved}, outside the allowed folders; refused");
            }

            // Again at every run: a secret location can appear under a mounted folder after the build.
            var exposed = SecretMountsCheck.Exposed(denied, resolved);
            if (exposed.Count > 0 && !SecretMountsCheck.IsOverridden(host, security.Overrides, m.Label))
            {
                throw new PolicyViolationException($"mounts.{m.Label}: {SecretMountsCheck.Describe(m.Source, resolved, exposed)}; refused at run time; {SecretMountsCheck.Remedy(host, m.Label)}");
            }

            mounts.Add(new BindMount(resolved, m.Target, m.ReadOnly));
        }

        return mounts;
    }

    private static string ResolveLinks(string path) =>
        HostPaths.RealPath(path) ?? throw new EngineException($"mount source {path} does not exist");

    /// <summary>
    /// Where the command starts without --workdir, as distrobox and toolbx do: the folder inside
    /// that corresponds to the caller's current folder when that lies in a mount source (the
    /// workspace); else the account's home (which the run provides when the tree lacks it); else /.
    /// </summary>
    private static string StartFolder(PreparedAccount account, IReadOnlyList<BindMount> mounts)
    {
        var here = HostPaths.RealPath(System.Environment.CurrentDirectory);
        foreach (var mount in mounts.Where(_ => here is not null).OrderByDescending(m => m.Source.Length))
        {
            var relative = Path.GetRelativePath(mount.Source, here!);
            if (relative == "." || (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative)))
            {
                return relative == "." ? mount.Target : Path.Combine(mount.Target, relative);
            }
        }

        var mounted = mounts.Any(m => account.Home == m.Target.TrimEnd('/'));
        return account.Home.StartsWith('/') && (account.HomeExists || mounted) ? account.Home : "/";
    }

    private static Dictionary<string, string> Environment(EffectiveSecurityContext security, HostPolicy host, PreparedAccount account, string label, IReadOnlyList<KeyValuePair<string, string>> granted)
    {
        // Which environment a shell is in, for prompts and scripts (as distrobox's CONTAINER_ID).
        var env = new Dictionary<string, string>(StringComparer.Ordinal) { ["SCUTE_ENV"] = label };
        // The build's allow-list, less what the host policy denies now: a deny added after the
        // build holds from the next run, as the mount checks do (an allowance waits for a rebuild).
        foreach (var name in security.EnvironmentAllowed.Where(n => !host.EnvironmentDeny.Contains(n)))
        {
            var value = name switch
            {
                "PATH" => ContainerPath,
                "HOME" => account.Home,
                "USER" => account.Name,
                "SHELL" => account.Shell,
                "XDG_RUNTIME_DIR" => null, // a host path: it does not exist inside
                _ => System.Environment.GetEnvironmentVariable(name),
            };
            if (value is not null)
            {
                env[name] = value;
            }
        }

        // login(1) sets both; programs read either.
        if (env.TryGetValue("USER", out var user))
        {
            env["LOGNAME"] = user;
        }

        // What a granted CDI device sets (its driver's library path, visible devices ...).
        foreach (var (name, value) in granted)
        {
            env[name] = value;
        }

        // The host's zone goes with its /etc/localtime; a host policy may still deny it.
        if (System.Environment.GetEnvironmentVariable("TZ") is { } tz && !host.EnvironmentDeny.Contains("TZ"))
        {
            env["TZ"] = tz;
        }

        return env;
    }
}
