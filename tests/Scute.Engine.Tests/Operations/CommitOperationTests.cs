using Scute.Engine.Lifecycle;
using Scute.Store;
using static Scute.Engine.Tests.Lifecycle.OperationFixture;
using Scute.Engine.Operations;

namespace Scute.Engine.Tests.Operations;

/// <summary>commit: the upper dir becomes a Snapshot layer, current and listed; the upper dir itself is left as it is.</summary>
public sealed class CommitOperationTests : IDisposable
{
    private readonly TestProject project = new();

    public void Dispose() => project.Dispose();

    [SkippableFact]
    public void Commit_records_the_upper_dir_as_the_current_snapshot_on_top_of_the_last_layer()
    {
        var (built, store) = BuildWeb(project);
        var before = store.Metadata.Get(built.EnvId);
        File.WriteAllText(Path.Combine(Upper(store, built.EnvId), "notes"), "v1");

        var snapshot = CommitOperation.Run(project.Context, "web", "  first  ", new FixedClock());

        var after = store.Metadata.Get(built.EnvId);
        Assert.Equal([snapshot.Layer], after.Snapshots);
        Assert.Equal(snapshot.Layer, after.CurrentSnapshot);
        Assert.Equal(FixedClock.Now, after.UpdatedAt);
        Assert.Equal(before.Layers, after.Layers);
        Assert.Equal((before.Name, before.State, before.ImageKey), (after.Name, after.State, after.ImageKey));
        var layer = store.Layers.Get(snapshot.Layer);
        Assert.Equal(LayerKind.Snapshot, layer.Kind);
        Assert.Equal(before.Layers[^1], layer.Parent);
        Assert.Equal("first", layer.Note);
        Assert.Equal(snapshot.TarDigest, layer.TarDigest);
        Assert.True(store.Objects.Contains(layer.TarDigest));
        Assert.Equal(["notes=v1"], Tree(Upper(store, built.EnvId)));
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Layout.StagingDir));
    }

    [SkippableFact]
    public void A_second_commit_has_the_first_as_its_parent_and_both_stay_listed()
    {
        var (built, store) = BuildWeb(project);
        var upper = Upper(store, built.EnvId);
        File.WriteAllText(Path.Combine(upper, "notes"), "v1");
        var first = CommitOperation.Run(project.Context, "web", null);
        File.WriteAllText(Path.Combine(upper, "notes"), "v2");

        var second = CommitOperation.Run(project.Context, "web", "   ");

        Assert.Equal(first.Layer, second.Parent);
        Assert.NotEqual(first.TarDigest, second.TarDigest);
        Assert.Null(store.Layers.Get(second.Layer).Note);
        var after = store.Metadata.Get(built.EnvId);
        Assert.Equal([first.Layer, second.Layer], after.Snapshots);
        Assert.Equal(second.Layer, after.CurrentSnapshot);
    }

    [SkippableFact]
    public void A_frozen_environment_can_be_committed_and_stays_frozen()
    {
        var (built, store) = BuildWeb(project);
        StateChangeOperation.Freeze(project.Context, "web");

        var snapshot = CommitOperation.Run(project.Context, "web", null);

        var after = store.Metadata.Get(built.EnvId);
        Assert.Equal(EnvState.Frozen, after.State);
        Assert.Equal(snapshot.Layer, after.CurrentSnapshot);
    }

    [SkippableFact]
    public void Committing_an_archived_environment_is_refused_and_changes_nothing()
    {
        var (built, store) = BuildWeb(project);
        StateChangeOperation.Archive(project.Context, "web");
        var metadata = MetadataBytes(store, built.EnvId);
        var layers = Directory.GetFiles(store.Layout.LayersDir);

        var e = Assert.Throws<EngineException>(() => CommitOperation.Run(project.Context, "web", null));

        Assert.Equal($"environment web ({built.ShortId}) is archived; cannot commit it (needs built or frozen)", e.Message);
        Assert.Equal(metadata, MetadataBytes(store, built.EnvId));
        Assert.Equal(layers, Directory.GetFiles(store.Layout.LayersDir));
    }

    [SkippableFact]
    public void Committing_an_unknown_environment_is_refused_naming_it()
    {
        var (built, store) = BuildWeb(project);
        var metadata = MetadataBytes(store, built.EnvId);

        var e = Assert.Throws<EngineException>(() => CommitOperation.Run(project.Context, "nope", null));

        Assert.Equal(NoEnvironment(project, "nope"), e.Message);
        Assert.Equal(metadata, MetadataBytes(store, built.EnvId));
    }

    [Fact]
    public void Committing_without_a_store_is_refused_and_creates_none()
    {
        var e = Assert.Throws<EngineException>(() => CommitOperation.Run(project.Context, "web", null));

        Assert.Equal($"no store at {project.Store} yet (scute build creates it)", e.Message);
        Assert.False(Directory.Exists(project.Store));
    }
}
