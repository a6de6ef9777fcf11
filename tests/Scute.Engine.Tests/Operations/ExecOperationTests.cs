using Scute.Runtime;
using Scute.Store;
using Scute.Engine.Operations;

namespace Scute.Engine.Tests.Operations;

[Collection(ProcessStateCollection.Name)]
public sealed class ExecOperationTests : IDisposable
{
    private const string ContainerPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private readonly TestProject project = new();
    private readonly EnvironmentVariables variables = new();
    private readonly MockBackend mock = new() { ExitCode = 7 };
    private readonly List<string> backendsAsked = [];

    public ExecOperationTests()
    {
        project.Context = project.Context with { BackendOverride = backend =>
        {
            backendsAsked.Add(backend);
            return mock;
        } };
    }

    public void Dispose()
    {
        variables.Dispose();
        project.Dispose();
    }

    private const string StrictWithMounts = """

        [mounts]
        workspace = "./:/workspace"
        data = "./link:/data:ro"

        [runtime]
        backend = "mock"

        [security]
        profile = "strict"

        """;

    private (BuildResult Result, string Folder, string Real) BuildStrict(string? name = null)
    {
        var real = Path.Combine(project.Root, "real-data");
        Directory.CreateDirectory(real);
        var folder = Path.Combine(project.Root, "app");
        Directory.CreateDirectory(folder);
        File.CreateSymbolicLink(Path.Combine(folder, "link"), real);
        var manifest = project.WriteManifest("app", StrictWithMounts);
        return (project.Build(manifest, name), folder, real);
    }

    [SkippableFact]
    public void Strict_environment_runs_as_1001_with_read_only_root_and_resolved_mounts()
    {
        TestProject.RequireBusybox();
        var (built, folder, real) = BuildStrict("web");

        var code = ExecOperation.Run(project.Context, "web", ["/bin/echo", "hi"], "/workspace");

        Assert.Equal(7, code);
        Assert.Equal(["mock"], backendsAsked);
        var spec = Assert.Single(mock.Runs);
        Assert.Equal(1001, spec.Uid);
        Assert.Equal(1001, spec.Gid);
        Assert.True(spec.ReadOnlyRoot);
        Assert.True(spec.NoNewPrivileges);
        Assert.Empty(spec.Capabilities);
        Assert.Equal(["/bin/echo", "hi"], spec.Command);
        Assert.Equal("/workspace", spec.WorkingDir);
        Assert.Equal("web", spec.Hostname);
        Assert.Equal(["full", "null", "random", "tty", "urandom", "zero"], spec.Devices);
        Assert.Contains(new BindMount(HostPaths.RealPath(folder)!, "/workspace", false), spec.Mounts);
        // The symlink is followed: the mount source is the real folder, not the link.
        Assert.Contains(new BindMount(HostPaths.RealPath(real)!, "/data", true), spec.Mounts);
        Assert.Equal(2, spec.Mounts.Count);

        var store = ScuteStore.Open(project.Store);
        var dirs = new EnvironmentDirs(store.Layout.EnvDir(built.EnvId));
        Assert.Equal(dirs.Upper, spec.UpperDir);
        Assert.Equal(dirs.Work, spec.WorkDir);
        Assert.Equal(dirs.Merged, spec.MergedDir);
        var lower = Assert.Single(spec.LowerDirs);
        Assert.True(File.Exists(Path.Combine(lower, "bin/busybox")));
    }

    [SkippableFact]
    public void Only_the_allowed_environment_passes()
    {
        TestProject.RequireBusybox();
        variables
            .Set("SSH_AUTH_SOCK", "/tmp/ssh-agent.sock")
            .Set("AWS_SECRET_ACCESS_KEY", "hunter2")
            .Set("GPG_AGENT_INFO", "/tmp/gpg")
            .Set("DOCKER_HOST", "unix:///tmp/docker.sock")
            .Set("TERM", "xterm-scute-test")
            .Set("LANG", "C.UTF-8")
            .Set("XDG_RUNTIME_DIR", "/run/user/4242");
        BuildStrict("web");

        ExecOperation.Run(project.Context, "web", ["/bin/env"], null);

        var env = Assert.Single(mock.Runs).Environment;
        Assert.DoesNotContain("SSH_AUTH_SOCK", env.Keys);
        Assert.DoesNotContain("AWS_SECRET_ACCESS_KEY", env.Keys);
        Assert.DoesNotContain("GPG_AGENT_INFO", env.Keys);
        Assert.DoesNotContain("DOCKER_HOST", env.Keys);
        Assert.DoesNotContain("XDG_RUNTIME_DIR", env.Keys);
        Assert.DoesNotContain(env.Values, v => v.Contains("hunter2", StringComparison.Ordinal));
        Assert.Equal(ContainerPath, env["PATH"]);
        Assert.Equal("xterm-scute-test", env["TERM"]);
        Assert.Equal("C.UTF-8", env["LANG"]);
        // From the image's /etc/passwd for uid 1001, never from the host.
        Assert.Equal("/home/scute", env["HOME"]);
        Assert.Equal("scute", env["USER"]);
        Assert.Equal("/bin/sh", env["SHELL"]);
        Assert.Equal("scute", env["LOGNAME"]);
        Assert.All(env.Keys, k => Assert.Contains(k, new[] { "HOME", "LANG", "LOGNAME", "PATH", "SHELL", "TERM", "TZ", "USER", "SCUTE_ENV" }));
    }

    [SkippableFact]
    public void Dev_environment_runs_as_the_invoking_user_with_a_writable_root()
    {
        TestProject.RequireBusybox();
        var built = project.Build(project.WriteManifest("dev", TestProject.MockRuntime + TestProject.Workspace));

        var code = ExecOperation.Run(project.Context, built.ShortId, [], null); // enter: the login shell

        Assert.Equal(7, code);
        var spec = Assert.Single(mock.Runs);
        Assert.Equal(UidInfo.EffectiveUid, spec.Uid);
        Assert.Equal(UidInfo.EffectiveGid, spec.Gid);
        Assert.False(spec.ReadOnlyRoot);
        // The test's folder is not in the workspace: the account's home, which the run makes when the image lacks it.
        var home = spec.Environment["HOME"];
        var store = ScuteStore.Open(project.Store);
        var image = Path.Combine(store.Layout.ImageDir(store.Metadata.Get(built.EnvId).ImageKey), "rootfs");
        Assert.Equal(home, spec.WorkingDir);
        Assert.Equal(Directory.Exists(image + home) ? null : new HomeSpec(home, Tmpfs: false), spec.Home);
        Assert.Equal(built.ShortId, spec.Hostname);
        Assert.Equal(["/bin/sh", "-l"], spec.Command);
        Assert.Equal(built.ShortId, spec.Environment["SCUTE_ENV"]);
        Assert.Null(spec.IdMap.SubUids);
        Assert.Equal(UidInfo.EffectiveUid, spec.IdMap.InsideUserForHost);
    }

    [SkippableFact]
    public void Exit_code_of_the_backend_is_returned_unchanged()
    {
        TestProject.RequireBusybox();
        var built = project.Build(project.WriteManifest("dev", TestProject.MockRuntime));
        project.Context = project.Context with { BackendOverride = _ => new MockBackend { ExitCode = 0 } };

        Assert.Equal(0, ExecOperation.Run(project.Context, built.EnvId, ["/bin/true"], null));
    }

    [SkippableFact]
    public void Network_isolation_reaches_the_spec()
    {
        TestProject.RequireBusybox();
        var built = project.Build(project.WriteManifest("dev", "\n[runtime]\nbackend = \"mock\"\nnetwork_isolation = true\n"));

        ExecOperation.Run(project.Context, built.EnvId, ["/bin/true"], null);

        Assert.True(Assert.Single(mock.Runs).NetworkIsolation);
    }

    [SkippableFact]
    public void Mount_source_removed_after_build_is_refused_before_running()
    {
        TestProject.RequireBusybox();
        var gone = Path.Combine(project.Root, "app", "gone");
        Directory.CreateDirectory(gone);
        var built = project.Build(project.WriteManifest("app", TestProject.MockRuntime + "\n[mounts]\ndata = \"./gone:/data\"\n"));
        Directory.Delete(gone);

        var e = Assert.Throws<EngineException>(() => ExecOperation.Run(project.Context, built.EnvId, ["/bin/true"], null));

        Assert.Contains(gone, e.Message, StringComparison.Ordinal);
        Assert.Empty(mock.Runs);
    }

    [SkippableFact]
    public void Archived_environment_cannot_be_entered()
    {
        TestProject.RequireBusybox();
        var built = project.Build(project.WriteManifest("dev", TestProject.MockRuntime));
        var store = ScuteStore.Open(project.Store);
        store.Metadata.Put(store.Metadata.Get(built.EnvId) with { State = EnvState.Archived });

        Assert.Throws<EngineException>(() => ExecOperation.Run(project.Context, built.EnvId, ["/bin/true"], null));
        Assert.Empty(mock.Runs);
    }

    [SkippableFact]
    public void Missing_base_image_is_refused()
    {
        TestProject.RequireBusybox();
        var built = project.Build(project.WriteManifest("dev", TestProject.MockRuntime));
        var store = ScuteStore.Open(project.Store);
        Directory.Delete(store.Layout.ImagesDir, recursive: true);

        Assert.Throws<EngineException>(() => ExecOperation.Run(project.Context, built.EnvId, ["/bin/true"], null));
        Assert.Empty(mock.Runs);
    }

    [Fact]
    public void Unknown_environment_is_refused()
    {
        ScuteStore.OpenOrCreate(project.Store);

        Assert.Throws<EngineException>(() => ExecOperation.Run(project.Context, "nope", ["/bin/true"], null));
        Assert.Empty(mock.Runs);
    }

    [SkippableFact]
    public void A_command_typed_in_the_workspace_starts_in_the_same_folder_inside()
    {
        TestProject.RequireBusybox();
        var manifest = project.WriteManifest("ws", TestProject.MockRuntime + TestProject.Workspace);
        var built = project.Build(manifest);
        var sub = Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(manifest)!, "src", "lib")).FullName;
        var previous = Directory.GetCurrentDirectory();
        try
        {
            Directory.SetCurrentDirectory(Path.GetDirectoryName(manifest)!);
            ExecOperation.Run(project.Context, built.ShortId, ["true"], null);
            Directory.SetCurrentDirectory(sub);
            ExecOperation.Run(project.Context, built.ShortId, ["true"], null);
            ExecOperation.Run(project.Context, built.ShortId, ["true"], "/tmp");
        }
        finally
        {
            Directory.SetCurrentDirectory(previous);
        }

        Assert.Equal(["/workspace", "/workspace/src/lib", "/tmp"], mock.Runs.Select(r => r.WorkingDir));
    }
}
