using Scute.Policy;
using Scute.Runtime;
using Scute.Store;

namespace Scute.Engine.Tests;

/// <summary>
/// The run spec: what build prepared (limits, account, seccomp) plus what each run brings or
/// re-checks (mount sources, the caller's folder and variables, the host's devices). The user's
/// policy file (XDG_CONFIG_HOME) stands for the host's; the current folder is the caller's.
/// </summary>
[Collection(ProcessStateCollection.Name)]
public sealed class RunSpecBuilderTests : IDisposable
{
    private const string ContainerPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private const string Strict = """

        [mounts]
        workspace = "./:/workspace"
        inner = "./inner:/inner"
        data = "../shared:/data:ro"

        [runtime]
        backend = "mock"

        [runtime.resource_limits]
        cpu_shares = 512
        memory_limit_mb = 256

        [security]
        profile = "strict"

        """;

    private readonly TestProject project = new();
    private readonly EnvironmentVariables variables = new();
    private readonly string callerFolder = Environment.CurrentDirectory;

    public RunSpecBuilderTests()
    {
        Directory.CreateDirectory(Shared);
        Directory.CreateDirectory(Path.Combine(App, "inner", "deep"));
        variables.Set("XDG_CONFIG_HOME", Path.Combine(project.Root, "config"))
            .Set("TZ", null).Set("SCUTE_CDI_SPEC_DIRS", Path.Combine(project.Root, "cdi"));
    }

    public void Dispose()
    {
        Environment.CurrentDirectory = callerFolder;
        variables.Dispose();
        project.Dispose();
    }

    private string App => Path.Combine(project.Root, "app");

    private string Shared => Path.Combine(project.Root, "shared");

    private (ScuteStore Store, EnvironmentMetadata Env) BuildEnv(string body = Strict)
    {
        TestProject.RequireBusybox();
        var built = project.Build(project.WriteManifest("app", body), name: "web");
        var store = ScuteStore.Open(project.Store);
        return (store, store.Metadata.Get(built.EnvId));
    }

    [SkippableFact]
    public void The_limits_account_and_command_come_from_the_build()
    {
        var (store, env) = BuildEnv();

        var spec = RunSpecBuilder.Build(store, env, ["id", "-u"], "/");

        Assert.Equal(new LimitSpec(512, 256), spec.Limits);
        Assert.Equal((1001, 1001), (spec.Uid, spec.Gid));
        Assert.Equal(["id", "-u"], spec.Command);
        Assert.Equal("web", spec.Hostname);
        Assert.True(spec.ReadOnlyRoot);
        Assert.True(spec.NoNewPrivileges);
        Assert.Empty(spec.Capabilities);
        Assert.Equal(new EnvironmentDirs(store.Layout.EnvDir(env.EnvId)).Upper, spec.UpperDir);
    }

    [SkippableFact]
    public void A_dev_environment_runs_as_the_caller_with_a_writable_root()
    {
        var (store, env) = BuildEnv(TestProject.MockRuntime);

        var spec = RunSpecBuilder.Build(store, env, ["true"], null);

        Assert.Equal((UidInfo.EffectiveUid, UidInfo.EffectiveGid), (spec.Uid, spec.Gid));
        Assert.False(spec.ReadOnlyRoot);
        Assert.Equal(new LimitSpec(null, null), spec.Limits);
    }

    [SkippableFact]
    public void A_mount_source_that_now_leads_outside_the_allowed_folders_is_refused_at_run_time()
    {
        var (store, env) = BuildEnv();
        Directory.Delete(Shared);
        File.CreateSymbolicLink(Shared, "/usr/share");

        var e = Assert.Throws<PolicyViolationException>(() => RunSpecBuilder.Build(store, env, ["true"], null));

        Assert.Equal($"mount source {Shared} now resolves to /usr/share, outside the allowed folders; refused", e.Message);
    }

    [SkippableFact]
    public void A_mount_source_moved_to_another_allowed_folder_is_bound_from_where_it_now_leads()
    {
        var (store, env) = BuildEnv();
        var moved = Path.Combine(project.Root, "moved");
        Directory.Move(Shared, moved);
        File.CreateSymbolicLink(Shared, moved);

        var spec = RunSpecBuilder.Build(store, env, ["true"], null);

        Assert.Contains(new BindMount(moved, "/data", ReadOnly: true), spec.Mounts);
        Assert.Contains(new BindMount(App, "/workspace", ReadOnly: false), spec.Mounts);
    }

    [SkippableFact]
    public void A_mount_source_that_is_gone_is_refused_naming_it()
    {
        var (store, env) = BuildEnv();
        Directory.Delete(Shared);

        var e = Assert.Throws<EngineException>(() => RunSpecBuilder.Build(store, env, ["true"], null));

        Assert.Equal($"mount source {Shared} does not exist", e.Message);
    }

    [SkippableTheory]
    [InlineData("app", "/workspace")]
    [InlineData("app/inner/deep", "/inner/deep")]
    [InlineData("shared", "/data")]
    [InlineData("", "/home/scute")]
    public void The_command_starts_in_the_folder_inside_that_matches_the_callers(string caller, string inside)
    {
        var (store, env) = BuildEnv();
        Environment.CurrentDirectory = Path.Combine(project.Root, caller);

        Assert.Equal(inside, RunSpecBuilder.Build(store, env, ["true"], null).WorkingDir);
        Assert.Equal("/opt", RunSpecBuilder.Build(store, env, ["true"], "/opt").WorkingDir);
    }

    [SkippableFact]
    public void Only_allowed_variables_pass_with_the_accounts_values_where_it_has_them()
    {
        var (store, env) = BuildEnv();
        variables.Set("TERM", "xterm-test").Set("LANG", "C.UTF-8").Set("TZ", "Europe/Paris")
            .Set("SSH_AUTH_SOCK", "/tmp/agent").Set("FOO", "bar").Set("XDG_RUNTIME_DIR", "/run/user/4242")
            .Set("USER", "host-user").Set("SHELL", "/bin/zsh");

        var spec = RunSpecBuilder.Build(store, env, ["true"], null);

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["HOME"] = "/home/scute",
                ["LANG"] = "C.UTF-8",
                ["LOGNAME"] = "scute",
                ["PATH"] = ContainerPath,
                ["SCUTE_ENV"] = "web",
                ["SHELL"] = "/bin/sh",
                ["TERM"] = "xterm-test",
                ["TZ"] = "Europe/Paris",
                ["USER"] = "scute",
            },
            spec.Environment.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary());
    }

    [SkippableFact]
    public void Variables_the_host_policy_denies_do_not_pass()
    {
        var policy = Path.Combine(project.Root, "config", "scute", "policy.toml");
        Directory.CreateDirectory(Path.GetDirectoryName(policy)!);
        File.WriteAllText(policy, "[environment]\ndeny = [\"LANG\", \"TZ\"]\n");
        var (store, env) = BuildEnv();
        variables.Set("TERM", "xterm-test").Set("LANG", "C.UTF-8").Set("TZ", "Europe/Paris");

        var spec = RunSpecBuilder.Build(store, env, ["true"], null);

        Assert.Equal("xterm-test", spec.Environment["TERM"]);
        Assert.False(spec.Environment.ContainsKey("LANG"));
        Assert.False(spec.Environment.ContainsKey("TZ"));
    }

    [SkippableFact]
    public void A_variable_the_host_policy_denies_after_the_build_no_longer_passes()
    {
        var (store, env) = BuildEnv();
        var policy = Path.Combine(project.Root, "config", "scute", "policy.toml");
        Directory.CreateDirectory(Path.GetDirectoryName(policy)!);
        File.WriteAllText(policy, "[environment]\ndeny = [\"LANG\", \"TZ\"]\n");
        variables.Set("TERM", "xterm-test").Set("LANG", "C.UTF-8").Set("TZ", "Europe/Paris");

        var spec = RunSpecBuilder.Build(store, env, ["true"], null);

        Assert.Equal("xterm-test", spec.Environment["TERM"]);
        Assert.False(spec.Environment.ContainsKey("LANG"));
        Assert.False(spec.Environment.ContainsKey("TZ"));
    }

    [SkippableFact]
    public void A_cdi_device_is_applied_for_a_run_and_left_out_of_an_export()
    {
        Skip.IfNot(Environment.UserName == "root", "a CDI spec is read only from root-owned folders");
        var cdi = Path.Combine(project.Root, "cdi");
        Directory.CreateDirectory(cdi);
        File.WriteAllText(Path.Combine(cdi, "nvidia.json"), """
            {"cdiVersion":"0.5.0","kind":"nvidia.com/gpu","devices":[{"name":"all","containerEdits":{"deviceNodes":[{"path":"/dev/nvidia0","hostPath":"/dev/null","type":"c","major":1,"minor":3}]}}],
             "containerEdits":{"env":["NVIDIA_VISIBLE_DEVICES=all"]}}
            """);
        var (store, env) = BuildEnv(TestProject.MockRuntime + "[hardware]\ngpu = true\n");

        var run = RunSpecBuilder.Build(store, env, ["true"], null);
        var export = RunSpecBuilder.Build(store, env, ["true"], null, hostDevices: false);

        Assert.Equal("all", run.Environment["NVIDIA_VISIBLE_DEVICES"]);
        Assert.Contains(run.DeviceNodes, n => n.Path == "/dev/nvidia0");
        Assert.False(export.Environment.ContainsKey("NVIDIA_VISIBLE_DEVICES"));
        Assert.Empty(export.DeviceNodes);
        Assert.Equal(run.Devices, export.Devices);
        Assert.Contains("null", export.Devices);
    }

    [SkippableFact]
    public void An_environment_whose_image_is_gone_is_refused_with_the_remedy()
    {
        var (store, env) = BuildEnv();
        Directory.Delete(store.Layout.ImageDir(env.ImageKey), recursive: true);

        var e = Assert.Throws<EngineException>(() => RunSpecBuilder.Build(store, env, ["true"], null));

        Assert.Equal($"the base image of {env.ShortId} is no longer in the store; run scute build again", e.Message);
    }
}
