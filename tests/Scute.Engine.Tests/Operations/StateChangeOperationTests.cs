using Scute.Engine.Lifecycle;
using Scute.Store;
using static Scute.Engine.Tests.Lifecycle.OperationFixture;
using Scute.Engine.Operations;

namespace Scute.Engine.Tests.Operations;

/// <summary>freeze, thaw and archive: the state alone changes, by the state machine; a refusal names both states and changes nothing.</summary>
[Collection(ProcessStateCollection.Name)]
public sealed class StateChangeOperationTests : IDisposable
{
    private readonly TestProject project = new();
    private readonly EnvironmentVariables variables = new();

    public StateChangeOperationTests() => variables.Set("XDG_RUNTIME_DIR", null);

    public void Dispose()
    {
        variables.Dispose();
        project.Dispose();
    }

    [SkippableFact]
    public void Freeze_then_thaw_changes_only_the_state()
    {
        var (built, store) = BuildWeb(project);
        File.WriteAllText(Path.Combine(Upper(store, built.EnvId), "f"), "x");
        var before = store.Metadata.Get(built.EnvId);

        var frozen = StateChangeOperation.Freeze(project.Context, "web");

        Assert.Equal(EnvState.Frozen, frozen.State);
        Assert.Equal(Fields(before with { State = EnvState.Frozen }), Fields(store.Metadata.Get(built.EnvId)));

        var thawed = StateChangeOperation.Thaw(project.Context, "web");

        Assert.Equal(EnvState.Built, thawed.State);
        Assert.Equal(Fields(before), Fields(store.Metadata.Get(built.EnvId)));
        Assert.Equal(["f=x"], Tree(Upper(store, built.EnvId)));
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Layout.WalDir));
    }

    [SkippableFact]
    public void A_built_or_frozen_environment_can_be_archived()
    {
        var (built, store) = BuildWeb(project);
        TestProject.RequireBusybox();
        var other = project.Build(project.WriteManifest("db", "\n[runtime]\nbackend = \"mock\"\nnetwork_isolation = true\n"), name: "db");
        StateChangeOperation.Freeze(project.Context, "db");

        Assert.Equal(EnvState.Archived, StateChangeOperation.Archive(project.Context, "web").State);
        Assert.Equal(EnvState.Archived, StateChangeOperation.Archive(project.Context, "db").State);

        Assert.Equal(EnvState.Archived, store.Metadata.Get(built.EnvId).State);
        Assert.Equal(EnvState.Archived, store.Metadata.Get(other.EnvId).State);
    }

    public static TheoryData<string, string> Refusals() => new()
    {
        { "thaw", "is built; cannot thaw it (built → built is not allowed)" },
        { "freeze-twice", "is frozen; cannot freeze it (frozen → frozen is not allowed)" },
        { "freeze-archived", "is archived; cannot freeze it (archived → frozen is not allowed)" },
        { "thaw-archived", "is archived; cannot thaw it (archived → built is not allowed)" },
        { "archive-twice", "is archived; cannot archive it (archived → archived is not allowed)" },
    };

    [SkippableTheory]
    [MemberData(nameof(Refusals))]
    public void A_change_the_state_machine_forbids_is_refused_naming_both_states_and_changes_nothing(string change, string said)
    {
        var (built, _) = BuildWeb(project);
        Action act = change switch
        {
            "thaw" => () => StateChangeOperation.Thaw(project.Context, "web"),
            "freeze-twice" => Then(() => StateChangeOperation.Freeze(project.Context, "web"), () => StateChangeOperation.Freeze(project.Context, "web")),
            "freeze-archived" => Then(() => StateChangeOperation.Archive(project.Context, "web"), () => StateChangeOperation.Freeze(project.Context, "web")),
            "thaw-archived" => Then(() => StateChangeOperation.Archive(project.Context, "web"), () => StateChangeOperation.Thaw(project.Context, "web")),
            _ => Then(() => StateChangeOperation.Archive(project.Context, "web"), () => StateChangeOperation.Archive(project.Context, "web")),
        };

        var e = Assert.Throws<EngineException>(() => act());

        Assert.Equal($"environment web ({built.ShortId}) {said}", e.Message);
    }

    [SkippableFact]
    public void A_refused_change_leaves_the_metadata_bytes_as_they_were()
    {
        var (built, store) = BuildWeb(project);
        StateChangeOperation.Archive(project.Context, "web");
        var metadata = MetadataBytes(store, built.EnvId);

        Assert.Throws<EngineException>(() => StateChangeOperation.Thaw(project.Context, "web"));
        Assert.Throws<EngineException>(() => StateChangeOperation.Freeze(project.Context, "web"));

        Assert.Equal(metadata, MetadataBytes(store, built.EnvId));
    }

    [SkippableFact]
    public void Freezing_while_a_run_record_is_live_is_refused_as_running()
    {
        var (built, store) = BuildWeb(project);
        var metadata = MetadataBytes(store, built.EnvId);
        var record = LiveRecord(store, built.EnvId);

        var e = Assert.Throws<EngineException>(() => StateChangeOperation.Freeze(project.Context, "web"));

        Assert.Equal($"environment web ({built.ShortId}) is running; cannot freeze it (running → frozen is not allowed)", e.Message);
        Assert.Equal(metadata, MetadataBytes(store, built.EnvId));
        Assert.True(File.Exists(record));
    }

    [SkippableFact]
    public void Thawing_or_archiving_a_frozen_environment_with_a_live_read_only_run_is_refused()
    {
        var (built, store) = BuildWeb(project);
        StateChangeOperation.Freeze(project.Context, "web");
        var metadata = MetadataBytes(store, built.EnvId);
        LiveRecord(store, built.EnvId);

        var thaw = Assert.Throws<EngineException>(() => StateChangeOperation.Thaw(project.Context, "web"));
        var archive = Assert.Throws<EngineException>(() => StateChangeOperation.Archive(project.Context, "web"));

        Assert.Equal($"environment {built.ShortId} has running commands; stop it first", thaw.Message);
        Assert.Equal(thaw.Message, archive.Message);
        Assert.Equal(metadata, MetadataBytes(store, built.EnvId));
    }

    [SkippableFact]
    public void Freezing_an_unknown_environment_is_refused_naming_it()
    {
        BuildWeb(project);

        var e = Assert.Throws<EngineException>(() => StateChangeOperation.Freeze(project.Context, "nope"));

        Assert.Equal(NoEnvironment(project, "nope"), e.Message);
    }

    private static Action Then(Action first, Action second)
    {
        first();
        return second;
    }
}
