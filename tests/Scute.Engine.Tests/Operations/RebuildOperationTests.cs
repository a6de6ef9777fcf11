using Scute.Engine.Lifecycle;
using Scute.Store;
using static Scute.Engine.Tests.Lifecycle.OperationFixture;
using Scute.Engine.Operations;

namespace Scute.Engine.Tests.Operations;

/// <summary>rebuild: the manifest's environment built again; the name and snapshots carry over, the upper dir starts empty, the old environments go.</summary>
[Collection(ProcessStateCollection.Name)]
public sealed class RebuildOperationTests : IDisposable
{
    private readonly TestProject project = new();
    private readonly EnvironmentVariables variables = new();

    public RebuildOperationTests() => variables.Set("XDG_RUNTIME_DIR", null);

    public void Dispose()
    {
        variables.Dispose();
        project.Dispose();
    }

    private string Manifest => Path.Combine(project.Root, "app", "scute.toml");

    [SkippableFact]
    public void Rebuilding_an_unchanged_manifest_keeps_the_identity_and_empties_the_upper_dir()
    {
        var (built, store) = BuildWeb(project);
        var upper = Upper(store, built.EnvId);
        File.WriteAllText(Path.Combine(upper, "f"), "x");
        var snapshot = CommitOperation.Run(project.Context, "web", null);
        var before = store.Metadata.Get(built.EnvId);

        var rebuilt = RebuildOperation.Run(project.Context, Manifest, new FixedClock());

        Assert.Equal(built.EnvId, rebuilt.Build.EnvId);
        Assert.Equal("web", rebuilt.Build.Name);
        Assert.Empty(rebuilt.Removed);
        Assert.Empty(Tree(upper));
        var after = store.Metadata.Get(built.EnvId);
        Assert.Equal(Fields(before with { CurrentSnapshot = null }), Fields(after));
        Assert.Equal([snapshot.Layer], after.Snapshots);
        Assert.Equal(FixedClock.Now, after.UpdatedAt);
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Layout.StagingDir));
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Layout.WalDir));
    }

    [SkippableFact]
    public void Rebuilding_a_changed_manifest_replaces_the_old_environment_and_carries_its_name_and_snapshots()
    {
        var (old, store) = BuildWeb(project);
        var snapshot = CommitOperation.Run(project.Context, "web", "before the change");
        project.WriteManifest("app", TestProject.MockRuntime + "network_isolation = true\n");

        var rebuilt = RebuildOperation.Run(project.Context, Manifest, new FixedClock());

        Assert.NotEqual(old.EnvId, rebuilt.Build.EnvId);
        Assert.Equal([old.ShortId], rebuilt.Removed);
        Assert.False(store.Metadata.TryGet(old.EnvId, out _));
        Assert.False(Directory.Exists(store.Layout.EnvDir(old.EnvId)));
        var now = Assert.Single(store.Metadata.List());
        Assert.Equal((rebuilt.Build.EnvId, "web", EnvState.Built), (now.EnvId, now.Name, now.State));
        Assert.Equal([snapshot.Layer], now.Snapshots);
        Assert.Null(now.CurrentSnapshot);
        Assert.Equal(rebuilt.Build.EnvId, EnvironmentFinder.Find(store, "web").EnvId);
    }

    [SkippableFact]
    public void Rebuilding_while_a_run_record_is_live_is_refused_and_changes_nothing()
    {
        var (built, store) = BuildWeb(project);
        var upper = Upper(store, built.EnvId);
        File.WriteAllText(Path.Combine(upper, "f"), "x");
        var metadata = MetadataBytes(store, built.EnvId);
        LiveRecord(store, built.EnvId);
        project.WriteManifest("app", TestProject.MockRuntime + "network_isolation = true\n");

        var e = Assert.Throws<EngineException>(() => RebuildOperation.Run(project.Context, Manifest, new FixedClock()));

        Assert.Equal($"environment web ({built.ShortId}) is running; cannot rebuild it (needs defined or built or frozen); stop it first", e.Message);
        Assert.Equal(built.EnvId, Assert.Single(store.Metadata.List()).EnvId);
        Assert.Equal(metadata, MetadataBytes(store, built.EnvId));
        Assert.Equal(["f=x"], Tree(upper));
    }

    [SkippableFact]
    public void Rebuilding_an_archived_environment_is_refused_and_changes_nothing()
    {
        var (built, store) = BuildWeb(project);
        StateChangeOperation.Archive(project.Context, "web");
        var metadata = MetadataBytes(store, built.EnvId);

        var e = Assert.Throws<EngineException>(() => RebuildOperation.Run(project.Context, Manifest, new FixedClock()));

        Assert.Equal($"environment web ({built.ShortId}) is archived; cannot rebuild it (needs defined or built or frozen)", e.Message);
        Assert.Equal(metadata, MetadataBytes(store, built.EnvId));
    }

    [SkippableFact]
    public void A_frozen_environment_is_rebuilt_as_built()
    {
        var (built, store) = BuildWeb(project);
        StateChangeOperation.Freeze(project.Context, "web");

        RebuildOperation.Run(project.Context, Manifest, new FixedClock());

        Assert.Equal(EnvState.Built, store.Metadata.Get(built.EnvId).State);
    }
}
