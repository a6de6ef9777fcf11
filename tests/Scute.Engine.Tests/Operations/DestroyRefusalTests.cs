using Scute.Store;
using static Scute.Engine.Tests.Lifecycle.OperationFixture;
using Scute.Engine.Operations;

namespace Scute.Engine.Tests.Operations;

/// <summary>destroy, beside DestroyOperationTests: which states it accepts, and that each refusal leaves the environment whole.</summary>
[Collection(ProcessStateCollection.Name)]
public sealed class DestroyRefusalTests : IDisposable
{
    private readonly TestProject project = new();
    private readonly EnvironmentVariables variables = new();

    public DestroyRefusalTests() => variables.Set("XDG_RUNTIME_DIR", null);

    public void Dispose()
    {
        variables.Dispose();
        project.Dispose();
    }

    [SkippableTheory]
    [InlineData(EnvState.Frozen)]
    [InlineData(EnvState.Archived)]
    public void A_frozen_or_archived_environment_can_be_destroyed(EnvState state)
    {
        var (built, store) = BuildWeb(project);
        _ = state == EnvState.Frozen ? Scute.Engine.Operations.StateChangeOperation.Freeze(project.Context, "web") : Scute.Engine.Operations.StateChangeOperation.Archive(project.Context, "web");

        Assert.Equal(state, DestroyOperation.Run(project.Context, "web").State);

        Assert.False(store.Metadata.TryGet(built.EnvId, out _));
        Assert.False(Directory.Exists(store.Layout.EnvDir(built.EnvId)));
    }

    [SkippableFact]
    public void Destroying_while_a_run_record_is_live_is_refused_and_keeps_everything()
    {
        var (built, store) = BuildWeb(project);
        File.WriteAllText(Path.Combine(Upper(store, built.EnvId), "f"), "x");
        var metadata = MetadataBytes(store, built.EnvId);
        LiveRecord(store, built.EnvId);

        var e = Assert.Throws<EngineException>(() => DestroyOperation.Run(project.Context, "web"));

        Assert.Equal($"environment web ({built.ShortId}) is running; cannot destroy it (needs defined or built or frozen or archived); stop it first", e.Message);
        Assert.Equal(metadata, MetadataBytes(store, built.EnvId));
        Assert.Equal(["f=x"], Tree(Upper(store, built.EnvId)));
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Layout.StagingDir));
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Layout.WalDir));
    }

    [SkippableFact]
    public void Destroying_a_frozen_environment_with_a_live_read_only_run_is_refused()
    {
        var (built, store) = BuildWeb(project);
        Scute.Engine.Operations.StateChangeOperation.Freeze(project.Context, "web");
        var metadata = MetadataBytes(store, built.EnvId);
        LiveRecord(store, built.EnvId);

        var e = Assert.Throws<EngineException>(() => DestroyOperation.Run(project.Context, "web"));

        Assert.Equal($"environment {built.ShortId} has running commands; stop it first", e.Message);
        Assert.Equal(metadata, MetadataBytes(store, built.EnvId));
        Assert.True(Directory.Exists(store.Layout.EnvDir(built.EnvId)));
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Layout.WalDir));
    }

    [SkippableFact]
    public void Destroying_an_unknown_environment_is_refused_naming_it_and_keeps_the_others()
    {
        var (built, store) = BuildWeb(project);
        var metadata = MetadataBytes(store, built.EnvId);

        var e = Assert.Throws<EngineException>(() => DestroyOperation.Run(project.Context, "nope"));

        Assert.Equal(NoEnvironment(project, "nope"), e.Message);
        Assert.Equal(metadata, MetadataBytes(store, built.EnvId));
        Assert.True(Directory.Exists(store.Layout.EnvDir(built.EnvId)));
    }
}
