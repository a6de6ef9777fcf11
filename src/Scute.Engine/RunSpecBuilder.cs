using System.Text.Json.Nodes;
using Scute.Engine.Accounts;
using Scute.Engine.Devices;
using Scute.Policy;
using Scute.Policy.Checks;
using Scute.Policy.Host;
using Scute.Runtime;
using Scute.Runtime.Seccomp;
using Scute.Store;

namespace Scute.Engine;

/// <summary>Turns a built environment and its effective security context into a backend's run spec.</summary>
public static class RunSpecBuilder
{
    private const string ContainerPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <param name="hostDevices">Whether to bind this host's GPU nodes and apply its CDI specs (exec, inspect); an export carries only the portable grants.</param>
    internal static RunSpec Build(ScuteStore store, EnvironmentMetadata env, IReadOnlyList<string> command, string? workingDir, bool hostDevices = true) =>
        Prepare(store, env, command, workingDir, hostDevices).Spec;

    /// <summary>The run spec with the context and host policy it was made from, for what exec adds at run time (the desktop session).</summary>
    internal static (RunSpec Spec, EffectiveSecurityContext Security, HostPolicy Host) Prepare(ScuteStore store, EnvironmentMetadata env, IReadOnlyList<string> command, string? workingDir, bool hostDevices = true)
    {
        var security = SecurityContextJson.Parse(env.SecurityJson);
        var rootfs = Path.Combine(store.Layout.ImageDir(env.ImageKey), "rootfs");
        if (!Directory.Exists(rootfs))
        {
            throw new EngineException($"the base image of {env.ShortId} is no longer in the store; run scute build again");
        }

        var dirs = EnvironmentDirs.Create(store.Layout.EnvDir(env.EnvId));
        var uid = security.User ?? UidInfo.EffectiveUid;
        var gid = security.Group ?? UidInfo.EffectiveGid;
        var idMap = security.User is null ? IdMapResolver.Single(uid, gid) : IdMapResolver.Resolve(uid, gid);
        var host = HostPolicyLoader.Load();
        var devices = hostDevices ? DeviceGrants.Expand(security.Devices) : DeviceGrants.Portable(security.Devices);
        List<BindMount> mounts = [.. Mounts(host, env.ManifestJson, Path.GetDirectoryName(env.ManifestPath) ?? "/", security), .. devices.Mounts];
        var lowerDirs = EnvironmentLayers.LowerDirs(store, env);
        string[] trees = [dirs.Upper, .. lowerDirs];
        // Read once: the account feeds the /etc files, the environment, the login shell and the start folder.
        var plan = AccountPlan.For(trees, uid, gid, dev: security.User is null, security.ReadOnlyRoot, mounts);
        var account = plan.Account;
        var spec = new RunSpec
        {
            LowerDirs = lowerDirs,
            UpperDir = dirs.Upper,
            WorkDir = dirs.Work,
            MergedDir = dirs.Merged,
            Command = command.Count > 0 ? command : LoginShell(account, trees),
            Environment = Environment(security, host, account, env.Name ?? env.ShortId, devices.Environment),
            WorkingDir = workingDir ?? StartFolder(account, plan.Home is not null || AccountPlan.Has(trees, account.Home), mounts),
            Hostname = env.Name ?? env.ShortId,
            Uid = uid,
            Gid = gid,
            ReadOnlyRoot = security.ReadOnlyRoot,
            NoNewPrivileges = security.NoNewPrivileges,
            Capabilities = [.. security.Capabilities.Keys],
            Seccomp = Seccomp(security.Seccomp, env.ManifestPath),
            Mounts = mounts,
            RootFiles = [.. plan.Files, .. HostLocalTime.File()],
            Home = plan.Home,
            Devices = devices.Devices,
            DeviceNodes = devices.Nodes,
            NetworkIsolation = security.NetworkIsolation,
            IdMap = idMap,
            Limits = Limits(env.ManifestJson),
        };
        return (spec, security, host);
    }

    /// <summary>A profile path is relative to the manifest's folder; its content is read now, at exec.</summary>
    private static SeccompSpec Seccomp(string seccomp, string manifestPath)
    {
        if (seccomp is SeccompModes.Default or SeccompModes.Unconfined)
        {
            return new SeccompSpec(seccomp, null);
        }

        var path = Path.GetFullPath(seccomp, Path.GetDirectoryName(Path.GetFullPath(manifestPath)) ?? "/");
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EngineException($"seccomp profile {path}: {e.Message}", e);
        }

        try
        {
            _ = SeccompProfile.Parse(json); // refuse a bad profile before any namespace exists
        }
        catch (ContainerSetupException e)
        {
            throw new ContainerSetupException($"{path}: {e.Message}", e);
        }

        return new SeccompSpec(SeccompModes.Profile, json);
    }

    /// <summary>The manifest's resource limits, as recorded at build.</summary>
    public static LimitSpec Limits(string manifestJson)
    {
        var limits = JsonNode.Parse(manifestJson)?["runtime"]?["resource_limits"];
        return new LimitSpec(limits?["cpu_shares"]?.GetValue<long>(), limits?["memory_limit_mb"]?.GetValue<long>());
    }

    private static List<BindMount> Mounts(HostPolicy host, string manifestJson, string manifestFolder, EffectiveSecurityContext security)
    {
        var denied = SecretLocations.ForInvokingUser(host);
        var mounts = new List<BindMount>();
        var node = JsonNode.Parse(manifestJson)?["mounts"]?.AsObject();
        foreach (var (label, m) in node ?? [])
        {
            var source = m!["host_path"]!.GetValue<string>();
            // Symlinks are followed here and the result is what the init stage opens (DESIGN §2.4).
            var resolved = ResolveLinks(source);
            if (!MountsCheck.IsAllowedSource(resolved, host, manifestFolder))
            {
                throw new PolicyViolationException($"mount source {source} now resolves to {resolved}, outside the allowed folders; refused");
            }

            // Again at every run: a secret location can appear under a mounted folder after the build.
            var exposed = SecretMountsCheck.Exposed(denied, resolved);
            if (exposed.Count > 0 && !SecretMountsCheck.IsOverridden(host, security.Overrides, label))
            {
                throw new PolicyViolationException($"mounts.{label}: {SecretMountsCheck.Describe(source, resolved, exposed)}; refused at run time; {SecretMountsCheck.Remedy(host, label)}");
            }

            mounts.Add(new BindMount(resolved, m["container_path"]!.GetValue<string>(), m["read_only"]!.GetValue<bool>()));
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
    private static string StartFolder(PasswdEntry account, bool homeExists, IReadOnlyList<BindMount> mounts)
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
        return account.Home.StartsWith('/') && (homeExists || mounted) ? account.Home : "/";
    }

    /// <summary>
    /// enter: the login shell of the user's passwd entry when the environment has it (looked up
    /// in its own tree, the upper folder first, never following a link out), else /bin/sh.
    /// </summary>
    private static IReadOnlyList<string> LoginShell(PasswdEntry account, IReadOnlyList<string> trees)
    {
        var shell = account.Shell;
        return [shell.StartsWith('/') && AccountPlan.Has(trees, shell) ? shell : "/bin/sh", "-l"];
    }

    private static Dictionary<string, string> Environment(EffectiveSecurityContext security, HostPolicy host, PasswdEntry account, string label, IReadOnlyList<KeyValuePair<string, string>> granted)
    {
        // Which environment a shell is in, for prompts and scripts (as distrobox's CONTAINER_ID).
        var env = new Dictionary<string, string>(StringComparer.Ordinal) { ["SCUTE_ENV"] = label };
        foreach (var name in security.EnvironmentAllowed)
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
