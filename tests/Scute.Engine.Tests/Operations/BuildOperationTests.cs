using System.Text.RegularExpressions;
using Scute.Manifest;
using Scute.Store;

namespace Scute.Engine.Tests.Operations;

public sealed partial class BuildOperationTests : IDisposable
{
    private readonly TestProject project = new();

    public void Dispose() => project.Dispose();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex EnvIdPattern();

    [SkippableFact]
    public void Build_records_the_environment_and_writes_the_lock()
    {
        TestProject.RequireBusybox();
        var manifest = project.WriteManifest("app", TestProject.MockRuntime + TestProject.Workspace);

        var result = project.Build(manifest);

        Assert.Matches(EnvIdPattern(), result.EnvId);
        Assert.Equal(result.EnvId[..12], result.ShortId);
        Assert.Equal(Path.Combine(Path.GetDirectoryName(manifest)!, "scute.lock"), result.LockPath);
        Assert.True(result.DevProfileImplied);
        Assert.Equal("dev", result.Security.Profile);

        var lockFile = LockFileIo.Read(result.LockPath);
        Assert.Equal(result.EnvId, lockFile.EnvId);
        Assert.Equal(result.BaseDigest.ToString(), lockFile.BaseDigest);
        Assert.Equal("builtin:busybox", lockFile.BaseReference);
        Assert.Equal("mock", lockFile.Backend);
        Assert.Equal([new LockMount("workspace", "./:/workspace")], lockFile.Mounts);

        var store = ScuteStore.Open(project.Store);
        var m = store.Metadata.Get(result.EnvId);
        Assert.Equal(result.ShortId, m.ShortId);
        Assert.Equal(manifest, m.ManifestPath);
        Assert.Equal(EnvState.Built, m.State);
        Assert.Equal("mock", m.Backend);
        Assert.Equal(FixedClock.Now, m.CreatedAt);
        Assert.Single(m.Layers);
        Assert.Equal(result.BaseDigest, m.BaseDigest);
        Assert.True(Directory.Exists(Path.Combine(store.Layout.EnvDir(result.EnvId), "upper")));
        Assert.NotNull(m.Sbom);
        Assert.Equal(Scute.Engine.Sbom.EnvironmentSbom.Describe(store, m), Scute.Engine.Sbom.EnvironmentSbom.Read(store, m));
        Assert.Contains(result.EnvId, System.Text.Encoding.UTF8.GetString(Scute.Engine.Sbom.EnvironmentSbom.Read(store, m)), StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Lock_is_named_after_the_manifest()
    {
        TestProject.RequireBusybox();
        var manifest = project.WriteManifest("app", TestProject.MockRuntime, file: "web.toml");

        var result = project.Build(manifest);

        Assert.Equal(Path.Combine(project.Root, "app", "web.lock"), result.LockPath);
        Assert.True(File.Exists(result.LockPath));
    }

    [SkippableFact]
    public void Same_manifest_in_two_stores_and_two_folders_has_one_env_id()
    {
        TestProject.RequireBusybox();
        var one = project.WriteManifest("one", TestProject.MockRuntime + TestProject.Workspace);
        var two = project.WriteManifest("elsewhere/two", TestProject.MockRuntime + TestProject.Workspace);

        var a = project.Build(one, store: Path.Combine(project.Root, "store-a"));
        var b = project.Build(two, store: Path.Combine(project.Root, "store-b"));

        Assert.Equal(a.EnvId, b.EnvId);
        Assert.Equal(a.BaseDigest, b.BaseDigest);
    }

    [SkippableFact]
    public void Rebuilding_is_idempotent()
    {
        TestProject.RequireBusybox();
        var manifest = project.WriteManifest("app", TestProject.MockRuntime);

        var a = project.Build(manifest, name: "web");
        var b = project.Build(manifest);

        Assert.Equal(a.EnvId, b.EnvId);
        Assert.Equal("web", b.Name);
        Assert.Single(ScuteStore.Open(project.Store).Metadata.List());
    }

    [SkippableFact]
    public void A_change_that_matters_changes_the_env_id()
    {
        TestProject.RequireBusybox();
        var plain = project.WriteManifest("a", TestProject.MockRuntime);
        var isolated = project.WriteManifest("b", "\n[runtime]\nbackend = \"mock\"\nnetwork_isolation = true\n");
        var strict = project.WriteManifest("c", TestProject.MockRuntime + "\n[security]\n");

        var ids = new[] { project.Build(plain).EnvId, project.Build(isolated).EnvId, project.Build(strict).EnvId };

        Assert.Equal(3, ids.Distinct().Count());
    }

    [Fact]
    public void Broken_manifest_is_a_manifest_error()
    {
        var manifest = project.WriteManifest("app", "[base\n");

        Assert.Throws<ManifestException>(() => project.Build(manifest));
        Assert.False(Directory.Exists(project.Store));
    }

    [Fact]
    public void Missing_manifest_is_a_manifest_error()
    {
        Assert.Throws<ManifestException>(() => project.Build(Path.Combine(project.Root, "absent.toml")));
    }

    [Fact]
    public void Policy_violation_is_refused_before_the_store_is_touched()
    {
        var manifest = project.WriteManifest("app", TestProject.MockRuntime + "\n[security]\nuser = 0\n");

        Assert.Throws<Scute.Policy.PolicyViolationException>(() => project.Build(manifest));
        Assert.False(Directory.Exists(project.Store));
    }

    [Fact]
    public void Invalid_name_is_refused_before_the_store_is_touched()
    {
        var manifest = project.WriteManifest("app", TestProject.MockRuntime);

        Assert.Throws<EngineException>(() => project.Build(manifest, name: "no spaces"));
        Assert.False(Directory.Exists(project.Store));
    }

    [SkippableFact]
    public void Name_used_by_another_environment_is_refused()
    {
        TestProject.RequireBusybox();
        var first = project.WriteManifest("a", TestProject.MockRuntime);
        var second = project.WriteManifest("b", "\n[runtime]\nbackend = \"mock\"\nnetwork_isolation = true\n");
        project.Build(first, name: "web");

        var e = Assert.Throws<EngineException>(() => project.Build(second, name: "web"));

        Assert.Contains("web", e.Message, StringComparison.Ordinal);
        Assert.Single(ScuteStore.Open(project.Store).Metadata.List());
    }
}
