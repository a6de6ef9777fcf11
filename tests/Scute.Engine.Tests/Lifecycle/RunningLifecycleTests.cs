using Scute.Engine.Lifecycle;
using Scute.Runtime;
using Scute.Store;
using Scute.Engine.Operations;

namespace Scute.Engine.Tests.Lifecycle;

/// <summary>
/// "Running" comes from live run records: exec writes none of the metadata, the commands that
/// change an environment refuse while a record is live and act once it is stale.
/// </summary>
[Collection(ProcessStateCollection.Name)]
public sealed class RunningLifecycleTests : IDisposable
{
    private readonly TestProject project = new();
    private readonly EnvironmentVariables variables = new();

    public RunningLifecycleTests() => variables.Set("XDG_RUNTIME_DIR", null);

    public void Dispose()
    {
        variables.Dispose();
        project.Dispose();
    }

    private (BuildResult Built, ScuteStore Store) BuildWeb()
    {
        TestProject.RequireBusybox();
        var built = project.Build(project.WriteManifest("app", TestProject.MockRuntime), name: "web");
        return (built, ScuteStore.Open(project.Store));
    }

    private static EnvState Shown(EngineContext context) => Assert.Single(ListOperation.Run(context)).State;

    [SkippableFact]
    public void Exec_writes_no_metadata_and_shows_running_only_while_its_command_runs()
    {
        var (built, store) = BuildWeb();
        var metadata = store.Layout.MetadataPath(built.EnvId);
        var before = File.ReadAllBytes(metadata);
        var writtenAt = File.GetLastWriteTimeUtc(metadata);
        EnvState? during = null;
        EnvState? stored = null;
        project.Context = project.Context with { BackendOverride = _ => new CallbackBackend(() =>
        {
            during = Shown(project.Context);
            stored = store.Metadata.Get(built.EnvId).State;
            Assert.Single(RunRecords.Live(store, built.EnvId));
        }) };

        Assert.Equal(0, ExecOperation.Run(project.Context, "web", ["true"], null));

        Assert.Equal(EnvState.Running, during);
        Assert.Equal(EnvState.Built, stored);
        Assert.Equal(before, File.ReadAllBytes(metadata));
        Assert.Equal(writtenAt, File.GetLastWriteTimeUtc(metadata));
        Assert.Empty(RunRecords.Live(store, built.EnvId));
        Assert.False(Directory.Exists(Path.Combine(store.Layout.RunDir, built.EnvId)));
        Assert.Equal(EnvState.Built, Shown(project.Context));
    }

    [SkippableFact]
    public void Exec_takes_only_the_shared_lock()
    {
        BuildWeb();
        project.Context = project.Context with { BackendOverride = _ => new MockBackend(), StoreOptions = new StoreOptions { LockTimeout = TimeSpan.Zero } };
        using var reader = ScuteStore.Open(project.Store).LockShared();

        Assert.Equal(0, ExecOperation.Run(project.Context, "web", ["true"], null));
    }

    [SkippableFact]
    public void Exec_waits_for_a_changing_command()
    {
        BuildWeb();
        project.Context = project.Context with { BackendOverride = _ => new MockBackend(), StoreOptions = new StoreOptions { LockTimeout = TimeSpan.FromMilliseconds(100) } };
        using var writer = ScuteStore.Open(project.Store).LockForChange();

        var e = Assert.Throws<StoreException>(() => ExecOperation.Run(project.Context, "web", ["true"], null));

        Assert.Contains("--lock-timeout", e.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Exec_rolls_back_what_a_crashed_command_left_then_runs()
    {
        var (_, store) = BuildWeb();
        var leftover = Path.Combine(store.Layout.StagingDir, "dead-build");
        Directory.CreateDirectory(leftover);
        File.WriteAllText(Path.Combine(store.Layout.WalDir, "0000000000001-1-x.json"), "not json");
        var warnings = new List<string>();
        project.Context = project.Context with { BackendOverride = _ => new MockBackend(), StoreOptions = new StoreOptions { Warn = warnings.Add } };

        Assert.Equal(0, ExecOperation.Run(project.Context, "web", ["true"], null));

        Assert.False(store.Wal.NeedsRecovery());
        Assert.False(Directory.Exists(leftover));
        Assert.Contains(warnings, w => w.Contains("is corrupt", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void A_destroy_started_while_an_exec_runs_refuses()
    {
        var (built, store) = BuildWeb();
        EngineException? refused = null;
        project.Context = project.Context with { BackendOverride = _ => new CallbackBackend(() => refused = Assert.Throws<EngineException>(() => DestroyOperation.Run(project.Context, "web"))) };

        ExecOperation.Run(project.Context, "web", ["true"], null);

        Assert.Contains("running", refused!.Message, StringComparison.Ordinal);
        Assert.True(store.Metadata.TryGet(built.EnvId, out _));
        DestroyOperation.Run(project.Context, "web");
        Assert.False(store.Metadata.TryGet(built.EnvId, out _));
    }

    [SkippableFact]
    public void Commit_restore_destroy_and_freeze_refuse_while_a_record_is_live_and_act_once_it_is_stale()
    {
        var (built, store) = BuildWeb();
        var first = CommitOperation.Run(project.Context, "web", "first");
        var record = RunRecords.Create(store, built.EnvId); // this test process: live

        Assert.Contains("stop it first", Assert.Throws<EngineException>(() => CommitOperation.Run(project.Context, "web", "x")).Message, StringComparison.Ordinal);
        Assert.Contains("stop it first", Assert.Throws<EngineException>(() => RestoreOperation.Run(project.Context, "web", first.Layer.ToString())).Message, StringComparison.Ordinal);
        Assert.Contains("stop it first", Assert.Throws<EngineException>(() => DestroyOperation.Run(project.Context, "web")).Message, StringComparison.Ordinal);
        Assert.Throws<EngineException>(() => StateChangeOperation.Freeze(project.Context, "web"));
        Assert.Equal(EnvState.Running, Shown(project.Context));

        // Renaming a running environment is allowed, and stores no running state.
        Assert.Equal(EnvState.Running, RenameOperation.Run(project.Context, "web", "web2").State);
        Assert.Equal(EnvState.Built, store.Metadata.Get(built.EnvId).State);

        // The same record, now of a process that is gone (its start time no longer matches).
        File.WriteAllText(record, "1\n");
        Assert.Equal(EnvState.Built, Shown(project.Context));
        CommitOperation.Run(project.Context, "web2", "second");
        RestoreOperation.Run(project.Context, "web2", first.Layer.ToString());
        Assert.False(File.Exists(record)); // removed by the first command that changed the environment
        StateChangeOperation.Freeze(project.Context, "web2");
        StateChangeOperation.Thaw(project.Context, "web2");
        DestroyOperation.Run(project.Context, "web2");
        Assert.Empty(ListOperation.Run(project.Context));
    }

    [SkippableFact]
    public void Running_written_by_an_older_scute_is_built_when_no_record_is_live()
    {
        var (built, store) = BuildWeb();
        store.Metadata.Put(store.Metadata.Get(built.EnvId) with { State = EnvState.Running });
        project.Context = project.Context with { BackendOverride = _ => new MockBackend() };

        Assert.Equal(EnvState.Built, Shown(project.Context));
        Assert.Equal(EnvState.Built, InspectOperation.Run(project.Context, "web").State);
        Assert.Equal(0, ExecOperation.Run(project.Context, "web", ["true"], null));
        CommitOperation.Run(project.Context, "web", null);

        var stopped = StopOperation.Run(project.Context, "web", TimeSpan.FromSeconds(1));

        Assert.Equal(EnvState.Built, stopped.Env.State);
        Assert.Equal(0, stopped.Commands);
        Assert.Equal(EnvState.Built, store.Metadata.Get(built.EnvId).State); // stop normalised it
        DestroyOperation.Run(project.Context, "web");
    }

    [SkippableFact]
    public void A_frozen_environment_runs_read_only_and_stays_frozen()
    {
        var (built, store) = BuildWeb();
        StateChangeOperation.Freeze(project.Context, "web");
        var mock = new MockBackend();
        project.Context = project.Context with { BackendOverride = _ => mock };

        Assert.Equal(0, ExecOperation.Run(project.Context, "web", ["true"], null));

        Assert.True(Assert.Single(mock.Runs).ReadOnlyRoot);
        Assert.Equal(EnvState.Frozen, store.Metadata.Get(built.EnvId).State);
    }

    /// <summary>Runs an action while "the command runs", then reports success.</summary>
    private sealed class CallbackBackend(Action during) : IRuntimeBackend
    {
        public string Name => "mock";

        public IReadOnlyList<PrerequisiteCheck> CheckPrerequisites() => [];

        public int Run(RunSpec spec, Action<int>? started = null)
        {
            during();
            return 0;
        }
    }
}
