using Scute.Core;
using Scute.Engine.Prepared;
using Scute.Policy;
using Scute.Runtime;
using Scute.Runtime.Seccomp;
using Scute.Store;
using Scute.Engine.Operations;

namespace Scute.Engine.Tests.Prepared;

/// <summary>
/// Build prepares what exec needs from the environment alone (env/&lt;id&gt;/exec.prepared);
/// exec verifies and uses it, recomputes when the host policy or the metadata changed, refuses
/// a damaged file, and never writes it. The user's policy file (XDG_CONFIG_HOME) stands for the host's.
/// </summary>
[Collection(ProcessStateCollection.Name)]
public sealed class PreparedExecTests : IDisposable
{
    private const string Strict = """

        [mounts]
        workspace = "./:/workspace"
        data = "../shared:/data:ro"

        [runtime]
        backend = "mock"

        [runtime.resource_limits]
        memory_limit_mb = 512

        [security]
        profile = "strict"

        """;

    private readonly TestProject project = new();
    private readonly EnvironmentVariables variables = new();
    private readonly MockBackend mock = new();

    public PreparedExecTests()
    {
        project.Context = project.Context with { BackendOverride = _ => mock };
        Directory.CreateDirectory(Path.Combine(project.Root, "shared"));
        variables.Set("XDG_CONFIG_HOME", Path.Combine(project.Root, "config")).Set("TZ", null);
    }

    public void Dispose()
    {
        variables.Dispose();
        project.Dispose();
    }

    private string PolicyFile => Path.Combine(project.Root, "config", "scute", "policy.toml");

    private (ScuteStore Store, EnvironmentMetadata Env, string File) BuildEnv(string body = Strict)
    {
        TestProject.RequireBusybox();
        var built = project.Build(project.WriteManifest("app", body));
        var store = ScuteStore.Open(project.Store);
        var env = store.Metadata.Get(built.EnvId);
        return (store, env, PreparedExecFile.PathFor(store, env.EnvId));
    }

    [SkippableFact]
    public void Build_prepares_the_run_spec_fields_from_the_security_context_and_manifest()
    {
        var (store, env, file) = BuildEnv();

        var prepared = ExecPreparation.Load(store, env);

        Assert.True(File.Exists(file));
        Assert.NotNull(prepared);
        Assert.Equal(["data", "workspace"], prepared.Mounts.Select(m => m.Label));
        Assert.Equal(Path.Combine(project.Root, "shared"), prepared.Mounts[0].ResolvedAtBuild);
        Assert.Equal(("/data", true), (prepared.Mounts[0].Target, prepared.Mounts[0].ReadOnly));
        Assert.Equal(512, prepared.Limits.MemoryLimitMb);
        Assert.Equal(SeccompModes.Default, prepared.Seccomp.Mode);
        var account = Assert.IsType<PreparedAccount>(prepared.Account);
        Assert.Equal((1001, "scute", "/home/scute"), (account.Uid, account.Name, account.Home));
        Assert.Contains(account.Files, f => f.Target == "/etc/passwd" && f.Content!.Contains("scute:x:1001:1001:", StringComparison.Ordinal));
        Assert.Equal(new HomeSpec("/home/scute", Tmpfs: true), account.HomeSpec);
    }

    [SkippableFact]
    public void The_prepared_program_is_the_one_the_command_stage_would_compile()
    {
        var (store, env, _) = BuildEnv();

        var prepared = ExecPreparation.Load(store, env)!;

        var compiled = SeccompFilter.Prepare(SeccompSpec.Default, [])!;
        Assert.Equal(compiled, prepared.SeccompProgram!.For(SeccompArchitectures.Native));
    }

    [SkippableFact]
    public void The_prepared_path_and_the_recompute_path_give_the_same_run_spec()
    {
        var (store, env, file) = BuildEnv();
        var fromFile = RunSpecBuilder.Build(store, env, [], null);

        File.Delete(file);
        var recomputed = RunSpecBuilder.Build(store, env, [], null);

        Assert.False(File.Exists(file)); // exec never writes it
        AssertSame(fromFile, recomputed);
        Assert.Equal(["/bin/sh", "-l"], fromFile.Command);
        Assert.Equal(1001, fromFile.Uid);
        Assert.True(fromFile.ReadOnlyRoot);
        Assert.Equal("/home/scute", fromFile.Environment["HOME"]);
    }

    [SkippableFact]
    public void A_dev_environment_keeps_its_account_lookup_at_exec()
    {
        var (store, env, _) = BuildEnv(TestProject.MockRuntime);

        var prepared = ExecPreparation.Load(store, env)!;
        var spec = RunSpecBuilder.Build(store, env, ["true"], null);

        Assert.Null(prepared.Account);
        // What the image answered to the lookup is recorded; the upper is read at each exec.
        Assert.NotNull(prepared.LowerAnswers);
        Assert.Contains("/etc/passwd", prepared.LowerAnswers.Files.Keys);
        Assert.Equal(UidInfo.EffectiveUid, spec.Uid);
        Assert.False(spec.ReadOnlyRoot);
    }

    [SkippableFact]
    public void A_tampered_prepared_file_is_refused_as_store_damage()
    {
        var (_, env, file) = BuildEnv();
        var bytes = File.ReadAllBytes(file);
        bytes[^1] ^= 1; // the record's last byte: the checksum no longer matches
        File.WriteAllBytes(file, bytes);

        var e = Assert.Throws<StoreCorruptionException>(() => ExecOperation.Run(project.Context, env.EnvId, ["true"], null));

        Assert.Empty(mock.Runs);
        Assert.Equal(file, e.ItemPath);
        Assert.Contains("scute rebuild", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [SkippableFact]
    public void A_json_prepared_file_of_an_older_scute_is_computed_again_not_refused()
    {
        var (store, env, file) = BuildEnv();
        var fresh = RunSpecBuilder.Build(store, env, ["true"], null);
        var body = "{\"version\":1,\"basis\":\"sha256:00\"}"u8.ToArray();
        File.WriteAllBytes(file, [.. System.Text.Encoding.ASCII.GetBytes(Digest.Compute(body) + "\n"), .. body]);

        Assert.Null(ExecPreparation.Load(store, env));
        Assert.Equal(0, ExecOperation.Run(project.Context, env.EnvId, ["true"], null));
        AssertSame(fresh, Assert.Single(mock.Runs));
    }

    [SkippableFact]
    public void The_stored_record_reads_back_as_what_build_computed()
    {
        var (store, env, file) = BuildEnv();
        var computed = ExecPreparation.Compute(store, env, SecurityContextJson.Parse(env.SecurityJson), Scute.Policy.Host.HostPolicyLoader.Load(), "sha256:x");

        var read = PreparedExecCodec.Deserialize(PreparedExecCodec.Serialize(computed))!;

        Assert.Equal(computed.Basis, read.Basis);
        Assert.Equal(computed.HostPolicyDigest, read.HostPolicyDigest);
        Assert.Equal(computed.HostPolicy.Sources, read.HostPolicy.Sources);
        Assert.Equal(computed.HostPolicy.AllowedProfiles, read.HostPolicy.AllowedProfiles);
        Assert.Equal(computed.Security.ToJson().ToJsonString(), read.Security.ToJson().ToJsonString());
        Assert.Equal(computed.LowerDirs, read.LowerDirs);
        Assert.Equal(computed.Mounts, read.Mounts);
        Assert.Equal(computed.Limits, read.Limits);
        Assert.Equal(computed.Seccomp, read.Seccomp);
        Assert.Equal(computed.SeccompProgram!.Filter, read.SeccompProgram!.Filter);
        Assert.Equal(computed.Account!.Files, read.Account!.Files);
        Assert.Equal(computed.Account.LoginShell, read.Account.LoginShell);
        Assert.Equal(computed.Account with { Files = [], LoginShell = [] }, read.Account with { Files = [], LoginShell = [] });
        Assert.True(File.ReadAllBytes(file).Length > 0);
        for (var length = 0; length < PreparedExecCodec.Serialize(computed).Length; length += 7)
        {
            var cut = PreparedExecCodec.Serialize(computed)[..length];
            if (length >= 4)
            {
                Assert.Throws<InvalidDataException>(() => PreparedExecCodec.Deserialize(cut));
            }
        }
    }

    [SkippableFact]
    public void A_host_policy_changed_after_build_is_honoured_at_the_next_exec()
    {
        var (store, env, file) = BuildEnv();
        ExecOperation.Run(project.Context, env.EnvId, ["true"], null);
        var before = File.ReadAllBytes(file);
        Directory.CreateDirectory(Path.GetDirectoryName(PolicyFile)!);
        File.WriteAllText(PolicyFile, "[mounts]\nallowed_prefixes = [\"/home\"]\n");

        var e = Assert.Throws<PolicyViolationException>(() => ExecOperation.Run(project.Context, env.EnvId, ["true"], null));

        Assert.Null(ExecPreparation.Load(store, env));
        Assert.Contains("outside the allowed folders", e.Message, StringComparison.Ordinal);
        Assert.Single(mock.Runs);
        Assert.Equal(before, File.ReadAllBytes(file)); // exec recomputed, wrote nothing
    }

    [SkippableFact]
    public void An_environment_built_without_a_prepared_file_still_runs()
    {
        var (_, env, file) = BuildEnv();
        File.Delete(file);

        ExecOperation.Run(project.Context, env.EnvId, ["true"], null);

        var spec = Assert.Single(mock.Runs);
        Assert.NotNull(spec.SeccompProgram);
        Assert.False(File.Exists(file));
    }

    [SkippableFact]
    public void Migrate_prepares_an_environment_built_without_the_file()
    {
        var (store, env, file) = BuildEnv();
        File.Delete(file);

        var said = Scute.Engine.Operations.MigrateOperation.Run(project.Context);

        Assert.Equal("store format 1 is current; prepared exec for 1 environment(s)", said);
        Assert.NotNull(ExecPreparation.Load(store, env));
        Assert.Equal("store format 1 is current", Scute.Engine.Operations.MigrateOperation.Run(project.Context));
    }

    [SkippableFact]
    public void Changed_metadata_make_the_prepared_file_stale_not_damaged()
    {
        var (store, env, _) = BuildEnv();

        Assert.NotNull(ExecPreparation.Load(store, env with { Name = "renamed", State = EnvState.Running }));
        Assert.Null(ExecPreparation.Load(store, env with { SecurityJson = env.SecurityJson.Replace("\"readonly_root\":true", "\"readonly_root\":false", StringComparison.Ordinal) }));
    }

    private static void AssertSame(RunSpec a, RunSpec b)
    {
        Assert.Equal(a.LowerDirs, b.LowerDirs);
        Assert.Equal((a.UpperDir, a.WorkDir, a.MergedDir), (b.UpperDir, b.WorkDir, b.MergedDir));
        Assert.Equal(a.Command, b.Command);
        Assert.Equal(a.Environment.OrderBy(p => p.Key, StringComparer.Ordinal), b.Environment.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal((a.WorkingDir, a.Hostname, a.Uid, a.Gid, a.ReadOnlyRoot, a.NoNewPrivileges, a.NetworkIsolation), (b.WorkingDir, b.Hostname, b.Uid, b.Gid, b.ReadOnlyRoot, b.NoNewPrivileges, b.NetworkIsolation));
        Assert.Equal(a.Capabilities, b.Capabilities);
        Assert.Equal(a.Seccomp, b.Seccomp);
        Assert.Equal(a.SeccompProgram!.Arch, b.SeccompProgram!.Arch);
        Assert.Equal(a.SeccompProgram.Filter, b.SeccompProgram.Filter);
        Assert.Equal(a.Mounts, b.Mounts);
        Assert.Equal(a.RootFiles, b.RootFiles);
        Assert.Equal(a.Home, b.Home);
        Assert.Equal(a.Devices, b.Devices);
        Assert.Equal(a.DeviceNodes, b.DeviceNodes);
        Assert.Equal(a.IdMap, b.IdMap);
        Assert.Equal(a.Limits, b.Limits);
    }
}
