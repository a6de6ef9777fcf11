using Scute.Engine.Packages;
using Scute.Manifest;
using Scute.Runtime;
using Scute.Store;
using Scute.Engine.Operations;

namespace Scute.Engine.Tests.Packages;

/// <summary>The package step of build, with apt faked: the lock, env_id, the shared Dependency layer, --locked and --offline.</summary>
[Collection(ProcessStateCollection.Name)]
public sealed class DependencyLayerTests : IDisposable
{
    private readonly TestProject project = new();
    private readonly FakeApt apt = new();
    private readonly string rootfs;

    public DependencyLayerTests()
    {
        rootfs = FakeApt.MakeRootfs(project.Root);
        project.Context = project.Context with { InstallRunnerOverride = apt };
    }

    public void Dispose()
    {
        project.Dispose();
    }

    private string Manifest(string folder, string packages = "\"hello\", \"git\"", string extra = "")
    {
        var path = project.WriteManifest(folder, TestProject.MockRuntime + $"\n[system]\npackages = [{packages}]\n{extra}");
        File.WriteAllText(path, File.ReadAllText(path).Replace("builtin:busybox", rootfs, StringComparison.Ordinal));
        return path;
    }

    [Fact]
    public void The_lock_names_each_exact_version_and_the_env_has_a_dependency_layer_over_its_base()
    {
        var result = project.Build(Manifest("a"));

        var lockFile = LockFileIo.Read(result.LockPath);
        Assert.Equal([new("git", "1:2.39.5-0+deb12u3"), new ResolvedPackage("hello", "2.10-3")], lockFile.Packages);
        var store = ScuteStore.Open(project.Store);
        var env = store.Metadata.Get(result.EnvId);
        Assert.Equal(2, env.Layers.Count);
        var dependency = store.Layers.Get(env.Layers[1]);
        Assert.Equal(LayerKind.Dependency, dependency.Kind);
        Assert.Equal(env.Layers[0], dependency.Parent);
        Assert.True(result.PackagesInstalled);
        Assert.Equal(1, apt.Reclaims);
    }

    [Fact]
    public void The_install_runs_as_root_of_its_namespace_with_the_host_network_even_for_an_isolated_environment()
    {
        var manifest = Manifest("a");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("backend = \"mock\"", "backend = \"mock\"\nnetwork_isolation = true", StringComparison.Ordinal));

        project.Build(manifest);

        var install = apt.Specs.Single(s => s.Command.Take(2).SequenceEqual(["apt-get", "install"]));
        Assert.Equal(["apt-get", "update"], apt.Commands[0]);
        Assert.Equal((0, 0), (install.Uid, install.Gid));
        Assert.False(install.NetworkIsolation);
        Assert.True(install.NoNewPrivileges);
        Assert.Equal(InstallRun.Capabilities, install.Capabilities);
        Assert.All(install.Mounts, m => Assert.True(m.ReadOnly && m.Target == "/etc/resolv.conf"));
        Assert.Equal("noninteractive", install.Environment["DEBIAN_FRONTEND"]);
        Assert.EndsWith("/rootfs", Assert.Single(install.LowerDirs), StringComparison.Ordinal);
    }

    [Fact]
    public void A_requested_version_or_architecture_is_installed_as_written_and_locked_by_name()
    {
        var result = project.Build(Manifest("a", "\"hello=2.10-3\", \"git:amd64\""));

        Assert.Contains(apt.Commands, c => c.SequenceEqual(["apt-get", "install", "-y", "--no-install-recommends", "git:amd64", "hello=2.10-3"]));
        Assert.Equal([new("git:amd64", "1:2.39.5-0+deb12u3"), new ResolvedPackage("hello", "2.10-3")], LockFileIo.Read(result.LockPath).Packages);
    }

    [Fact]
    public void Another_manifest_with_the_same_base_and_packages_reuses_the_layer_without_installing()
    {
        var first = project.Build(Manifest("a"));
        var second = project.Build(Manifest("b", extra: "[hardware]\naudio = true\n"));

        Assert.Equal(1, apt.Installs);
        Assert.False(second.PackagesInstalled);
        Assert.NotEqual(first.EnvId, second.EnvId);
        var store = ScuteStore.Open(project.Store);
        Assert.Equal(store.Metadata.Get(first.EnvId).Layers, store.Metadata.Get(second.EnvId).Layers);
    }

    [Fact]
    public void The_resolved_versions_are_part_of_env_id()
    {
        var before = project.Build(Manifest("a"));
        apt.Available["hello"] = "2.12-1";

        var after = project.Build(Manifest("a"), store: Path.Combine(project.Root, "other-store"));

        Assert.NotEqual(before.EnvId, after.EnvId);
    }

    [Fact]
    public void Exec_stacks_the_installed_tree_over_the_base()
    {
        var mock = new MockBackend();
        project.Context = project.Context with { BackendOverride = _ => mock };
        var built = project.Build(Manifest("a"));

        ExecOperation.Run(project.Context, built.ShortId, ["hello"], null);

        var lowers = mock.Runs.Single().LowerDirs;
        Assert.Equal(2, lowers.Count);
        Assert.True(File.Exists(Path.Combine(lowers[0], "usr/bin/hello")));
        Assert.EndsWith("rootfs", lowers[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Locked_installs_exactly_the_locked_versions()
    {
        var manifest = Manifest("a");
        project.Build(manifest);

        BuildOperation.Run(project.Context with { StoreRoot = Path.Combine(project.Root, "fresh") }, manifest, null, new FixedClock(), new BuildOptions(Locked: true));

        Assert.Contains(apt.Commands, c => c.SequenceEqual(["apt-get", "install", "-y", "--no-install-recommends", "git=1:2.39.5-0+deb12u3", "hello=2.10-3"]));
    }

    [Fact]
    public void Locked_with_a_version_the_mirror_lacks_is_one_lock_error_naming_it()
    {
        var manifest = Manifest("a");
        project.Build(manifest);
        apt.Available["hello"] = "2.12-1";

        var e = Assert.Throws<LockException>(() => BuildOperation.Run(project.Context with { StoreRoot = Path.Combine(project.Root, "fresh") }, manifest, null, new FixedClock(), new BuildOptions(Locked: true)));

        Assert.Contains("hello 2.10-3", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Locked_reuses_a_layer_only_with_the_same_versions()
    {
        var manifest = Manifest("a");
        project.Build(manifest);

        project.Build(manifest);
        BuildOperation.Run(project.Context, manifest, null, new FixedClock(), new BuildOptions(Locked: true));

        Assert.Equal(1, apt.Installs);
    }

    [Fact]
    public void Locked_refuses_a_lock_whose_packages_drifted()
    {
        var manifest = Manifest("a");
        project.Build(manifest);
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"git\"", "\"make\"", StringComparison.Ordinal));

        var e = Assert.Throws<LockException>(() => BuildOperation.Run(project.Context, manifest, null, new FixedClock(), new BuildOptions(Locked: true)));

        Assert.Contains("make", e.Message, StringComparison.Ordinal);
        Assert.Contains("git", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Offline_without_the_layer_installs_nothing_and_says_so()
    {
        var e = Assert.Throws<EngineException>(() => BuildOperation.Run(project.Context, Manifest("a"), null, new FixedClock(), new BuildOptions(Offline: true)));

        Assert.Contains("--offline", e.Message, StringComparison.Ordinal);
        Assert.Empty(apt.Commands);
    }

    [Fact]
    public void Gc_keeps_the_dependency_layer_of_a_live_environment()
    {
        var built = project.Build(Manifest("a"));
        var store = ScuteStore.Open(project.Store);
        var layer = store.Metadata.Get(built.EnvId).Layers[1];

        GcOperation.Run(project.Context, dryRun: false, CancellationToken.None);

        Assert.True(store.Layers.Contains(layer));
        Assert.True(store.Objects.Contains(store.Layers.Get(layer).TarDigest));
        Assert.True(Directory.Exists(DependencyLayer.TreeDir(store, store.Metadata.Get(built.EnvId).ImageKey, layer)));
    }

    [SkippableFact]
    public void Packages_on_a_base_without_a_package_manager_are_refused_without_a_lock()
    {
        TestProject.RequireBusybox();
        var manifest = project.WriteManifest("busybox", TestProject.MockRuntime + "\n[system]\npackages = [\"curl\"]\n");

        var e = Assert.Throws<EngineException>(() => project.Build(manifest));

        Assert.Contains("no package manager", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(ManifestFiles.LockPathFor(manifest)));
        Assert.Empty(ScuteStore.Open(project.Store).Metadata.List());
        Assert.Empty(apt.Commands);
    }

    [SkippableFact]
    public void Gui_apps_are_installed_like_packages()
    {
        var result = project.Build(Manifest("a", "\"git\"", "[gui]\napps = [\"hello\"]\n"));

        Assert.Contains(apt.Commands, c => c.SequenceEqual(["apt-get", "install", "-y", "--no-install-recommends", "git", "hello"]));
        Assert.Equal(["git", "hello"], LockFileIo.Read(result.LockPath).Packages.Select(p => p.Name));
        Assert.Equal(["hello"], LockFileIo.Read(result.LockPath).Apps);
    }

    [Fact]
    public void A_name_that_could_be_an_option_is_refused_before_any_install()
    {
        var e = Assert.Throws<Scute.Policy.PolicyViolationException>(() => project.Build(Manifest("a", "\"hello\", \"-oAPT::Get::x=1\"")));

        Assert.Contains("system.packages", e.Message, StringComparison.Ordinal);
        Assert.Empty(apt.Commands);
    }
}
