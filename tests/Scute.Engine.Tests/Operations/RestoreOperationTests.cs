using Scute.Engine.Lifecycle;
using Scute.Store;
using static Scute.Engine.Tests.Lifecycle.OperationFixture;
using Scute.Engine.Operations;

namespace Scute.Engine.Tests.Operations;

/// <summary>restore: the upper dir becomes exactly the snapshot's tree and the snapshot becomes current; a refusal leaves both as they were.</summary>
public sealed class RestoreOperationTests : IDisposable
{
    private readonly TestProject project = new();

    public void Dispose() => project.Dispose();

    [SkippableFact]
    public void Restore_puts_back_the_snapshots_tree_and_makes_it_current()
    {
        var (built, store) = BuildWeb(project);
        var upper = Upper(store, built.EnvId);
        Directory.CreateDirectory(Path.Combine(upper, "data"));
        File.WriteAllText(Path.Combine(upper, "data", "kept"), "v1");
        var first = CommitOperation.Run(project.Context, "web", null);
        File.WriteAllText(Path.Combine(upper, "data", "kept"), "v2");
        File.WriteAllText(Path.Combine(upper, "later"), "x");
        var second = CommitOperation.Run(project.Context, "web", null);
        var before = store.Metadata.Get(built.EnvId);

        var restored = RestoreOperation.Run(project.Context, "web", first.Layer.Hex[..12]);

        Assert.Equal(first.Layer, restored.Layer);
        Assert.True(restored.Current);
        Assert.Equal(["data", "data/kept=v1"], Tree(upper));
        var after = store.Metadata.Get(built.EnvId);
        Assert.Equal(Fields(before with { CurrentSnapshot = first.Layer }), Fields(after));
        Assert.Equal([first.Layer, second.Layer], after.Snapshots);
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Layout.StagingDir));
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Layout.WalDir));
    }

    [SkippableFact]
    public void A_frozen_environment_is_refused_and_keeps_its_upper_dir()
    {
        var (built, store) = BuildWeb(project);
        var upper = Upper(store, built.EnvId);
        var snapshot = CommitOperation.Run(project.Context, "web", null);
        File.WriteAllText(Path.Combine(upper, "after"), "x");
        StateChangeOperation.Freeze(project.Context, "web");
        var metadata = MetadataBytes(store, built.EnvId);

        var e = Assert.Throws<EngineException>(() => RestoreOperation.Run(project.Context, "web", snapshot.Layer.ToString()));

        Assert.Equal($"environment web ({built.ShortId}) is frozen; cannot restore it (needs built)", e.Message);
        Assert.Equal(["after=x"], Tree(upper));
        Assert.Equal(metadata, MetadataBytes(store, built.EnvId));
    }

    [SkippableFact]
    public void An_unknown_snapshot_is_refused_and_keeps_the_upper_dir()
    {
        var (built, store) = BuildWeb(project);
        var upper = Upper(store, built.EnvId);
        File.WriteAllText(Path.Combine(upper, "after"), "x");
        var metadata = MetadataBytes(store, built.EnvId);

        var e = Assert.Throws<EngineException>(() => RestoreOperation.Run(project.Context, "web", "abcdef"));

        Assert.Equal($"environment {built.ShortId} has no snapshot 'abcdef' (see scute snapshots web)", e.Message);
        Assert.Equal(["after=x"], Tree(upper));
        Assert.Equal(metadata, MetadataBytes(store, built.EnvId));
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Layout.StagingDir));
    }

    [SkippableFact]
    public void A_listed_snapshot_that_is_not_a_snapshot_layer_is_refused_and_keeps_the_upper_dir()
    {
        var (built, store) = BuildWeb(project);
        var upper = Upper(store, built.EnvId);
        File.WriteAllText(Path.Combine(upper, "after"), "x");
        var env = store.Metadata.Get(built.EnvId);
        var baseLayer = env.Layers[0];
        store.Metadata.Put(env with { Snapshots = [baseLayer] });
        var metadata = MetadataBytes(store, built.EnvId);

        var e = Assert.Throws<EngineException>(() => RestoreOperation.Run(project.Context, "web", baseLayer.Hex));

        var kind = store.Layers.Get(baseLayer).Kind.ToString().ToLowerInvariant();
        Assert.Equal($"layer {baseLayer} is a {kind} layer, not a snapshot", e.Message);
        Assert.Equal(["after=x"], Tree(upper));
        Assert.Equal(metadata, MetadataBytes(store, built.EnvId));
    }

    [SkippableFact]
    public void Restoring_an_unknown_environment_is_refused_naming_it()
    {
        BuildWeb(project);

        var e = Assert.Throws<EngineException>(() => RestoreOperation.Run(project.Context, "nope", "abcdef"));

        Assert.Equal(NoEnvironment(project, "nope"), e.Message);
    }
}
