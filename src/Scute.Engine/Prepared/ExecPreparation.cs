using System.Text.Json.Nodes;
using Scute.Core;
using Scute.Engine.Accounts;
using Scute.Policy;
using Scute.Policy.Host;
using Scute.Runtime;
using Scute.Runtime.Seccomp;
using Scute.Store;

namespace Scute.Engine.Prepared;

/// <summary>
/// The environment-only half of a run spec: made and stored at build (<see cref="Write"/>),
/// verified and used at exec (<see cref="Load"/>), or made on the spot by the same code when
/// there is no usable file. Exec never writes it.
/// </summary>
internal static class ExecPreparation
{
    /// <summary>
    /// At build, rebuild, pull, restore and migrate: after the metadata is in place. What cannot
    /// be prepared (a pulled environment's seccomp profile file missing here) leaves no file, so
    /// exec computes and reports it as it did before there was one.
    /// </summary>
    public static void Write(ScuteStore store, EnvironmentMetadata env)
    {
        ArgumentNullException.ThrowIfNull(env);
        var path = PreparedExecFile.PathFor(store, env.EnvId);
        PreparedExec prepared;
        try
        {
            var digest = HostPolicyFiles.Digest();
            prepared = Compute(store, env, SecurityContextJson.Parse(env.SecurityJson), HostPolicyLoader.Load(), digest);
        }
        catch (Exception e) when (e is EngineException or ContainerSetupException)
        {
            File.Delete(path);
            return;
        }

        PreparedExecFile.Write(path, prepared with { LowerAnswers = LowerAnswers(prepared, env) });
    }

    /// <summary>
    /// Under a writable root the account is looked up at every exec (the command can edit the
    /// upper's /etc/passwd): what the lower layers answer to that lookup is recorded now, by the
    /// same lookup run over them for the uid exec will use, so exec reads only the upper.
    /// </summary>
    private static LowerTreeAnswers? LowerAnswers(PreparedExec prepared, EnvironmentMetadata env)
    {
        var security = prepared.Security;
        if (security.ReadOnlyRoot)
        {
            return null;
        }

        var answers = new LowerTreeAnswers();
        try
        {
            _ = Account(AccountTrees.Recording(prepared.LowerDirs, answers), security.User ?? UidInfo.EffectiveUid, security.Group ?? UidInfo.EffectiveGid,
                dev: security.User is null, readOnlyRoot: false, [.. prepared.Mounts.Select(m => new BindMount(m.ResolvedAtBuild ?? m.Source, m.Target, m.ReadOnly))]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // exec looks them up, and reports what it meets
        }

        return answers;
    }

    /// <summary>
    /// The stored parts when they were made from these metadata and these host policy bytes;
    /// null when there is no file, or it is stale (exec then computes). A damaged file throws.
    /// </summary>
    public static PreparedExec? Load(ScuteStore store, EnvironmentMetadata env)
    {
        ArgumentNullException.ThrowIfNull(env);
        var prepared = PreparedExecFile.Read(PreparedExecFile.PathFor(store, env.EnvId));
        return prepared is not null
            && prepared.Version == PreparedExec.CurrentVersion
            && prepared.Basis == PreparedBasis.Of(store, env)
            && prepared.HostPolicyDigest == HostPolicyFiles.Digest()
            ? prepared
            : null;
    }

    public static PreparedExec Compute(ScuteStore store, EnvironmentMetadata env, EffectiveSecurityContext security, HostPolicy host, string hostPolicyDigest)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(security);
        var lowerDirs = EnvironmentLayers.LowerDirs(store, env);
        var mounts = ManifestMounts(env.ManifestJson);
        var seccomp = SeccompFor(security.Seccomp, env.ManifestPath);
        var filter = SeccompFilter.Prepare(seccomp, [.. security.Capabilities.Keys]);
        PreparedAccount? account = null;
        // Only a root nothing can change keeps its account: a writable root's upper can edit /etc/passwd.
        if (security.User is { } uid && security.ReadOnlyRoot)
        {
            var upper = new EnvironmentDirs(store.Layout.EnvDir(env.EnvId)).Upper;
            account = Account([upper, .. lowerDirs], uid, security.Group ?? UidInfo.EffectiveGid, dev: false, readOnlyRoot: true,
                [.. mounts.Select(m => new BindMount(m.ResolvedAtBuild ?? m.Source, m.Target, m.ReadOnly))]);
        }

        return new PreparedExec
        {
            Version = PreparedExec.CurrentVersion,
            Basis = PreparedBasis.Of(store, env),
            HostPolicyDigest = hostPolicyDigest,
            HostPolicy = PreparedHostPolicy.From(host),
            Security = security,
            LowerDirs = lowerDirs,
            Mounts = mounts,
            Limits = Limits(env.ManifestJson),
            Seccomp = seccomp,
            SeccompProgram = filter is null ? null : SeccompProgram.From(filter, SeccompArchitectures.Native),
            Account = account,
        };
    }

    /// <summary>The account plan's result as the run spec uses it (the same whether stored at build or looked up at exec).</summary>
    public static PreparedAccount Account(IReadOnlyList<string> trees, int uid, int gid, bool dev, bool readOnlyRoot, IReadOnlyList<BindMount> mounts) =>
        Account(AccountTrees.Plain(trees), uid, gid, dev, readOnlyRoot, mounts);

    public static PreparedAccount Account(AccountTrees trees, int uid, int gid, bool dev, bool readOnlyRoot, IReadOnlyList<BindMount> mounts)
    {
        var plan = AccountPlan.For(trees, uid, gid, dev, readOnlyRoot, mounts);
        var account = plan.Account;
        var shell = account.Shell;
        return new PreparedAccount
        {
            Uid = uid,
            Gid = gid,
            Name = account.Name,
            Gecos = account.Gecos,
            Home = account.Home,
            Shell = account.Shell,
            Files = plan.Files,
            HomeSpec = plan.Home,
            HomeExists = plan.Home is not null || trees.Has(account.Home),
            // enter: the entry's login shell when the tree has it, never following a link out; else /bin/sh.
            LoginShell = [shell.StartsWith('/') && trees.Has(shell) ? shell : "/bin/sh", "-l"],
        };
    }

    /// <summary>The manifest's resource limits, as recorded at build.</summary>
    public static LimitSpec Limits(string manifestJson)
    {
        var limits = JsonNode.Parse(manifestJson)?["runtime"]?["resource_limits"];
        return new LimitSpec(limits?["cpu_shares"]?.GetValue<long>(), limits?["memory_limit_mb"]?.GetValue<long>());
    }

    /// <summary>The manifest's mounts, sorted by label as the normalized manifest has them; where each source led at build.</summary>
    private static List<PreparedMount> ManifestMounts(string manifestJson)
    {
        var mounts = new List<PreparedMount>();
        foreach (var (label, m) in JsonNode.Parse(manifestJson)?["mounts"]?.AsObject() ?? [])
        {
            var source = m!["host_path"]!.GetValue<string>();
            mounts.Add(new PreparedMount(label, source, HostPaths.RealPath(source), m["container_path"]!.GetValue<string>(), m["read_only"]!.GetValue<bool>()));
        }

        return mounts;
    }

    /// <summary>A profile path is relative to the manifest's folder; its content is read now (at build, or at exec without a prepared file).</summary>
    private static SeccompSpec SeccompFor(string seccomp, string manifestPath)
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
}
