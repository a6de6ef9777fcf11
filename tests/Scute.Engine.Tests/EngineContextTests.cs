using Scute.Engine.Operations;
using Scute.Runtime;
using Scute.Store;

namespace Scute.Engine.Tests;

/// <summary>
/// The context is the only way a command's settings reach the engine: two contexts used side by
/// side in one process (no collection, no ambient state) each get their own backend and store options.
/// </summary>
public sealed class EngineContextTests : IDisposable
{
    private readonly TestProject project = new();

    public void Dispose() => project.Dispose();

    [SkippableFact]
    public void An_exec_with_a_backend_seam_uses_it_while_one_without_uses_the_real_factory_at_the_same_time()
    {
        TestProject.RequireBusybox();
        var built = project.Build(project.WriteManifest("dev", TestProject.MockRuntime));
        var recording = new MockBackend { ExitCode = 7 };
        var asked = new List<string>();
        var seamed = project.Context with
        {
            BackendOverride = name =>
            {
                asked.Add(name);
                return recording;
            },
        };
        var real = new EngineContext(project.Store);
        using var start = new Barrier(2);

        var seamedRun = Started(() => Exec(seamed, built.EnvId, "seamed", start));
        var realRun = Started(() => Exec(real, built.EnvId, "real", start));
        Task.WaitAll(seamedRun, realRun);

        Assert.Equal(7, seamedRun.Result);
        Assert.Equal(0, realRun.Result);
        Assert.Equal(["/bin/echo", "seamed"], Assert.Single(recording.Runs).Command);
        Assert.Equal(["mock"], asked);
    }

    [SkippableFact]
    public void Each_context_waits_for_the_lock_with_its_own_timeout_and_waiting_callback()
    {
        TestProject.RequireBusybox();
        var built = project.Build(project.WriteManifest("dev", TestProject.MockRuntime));
        var quickWaits = new List<int?>();
        var quick = project.Context with
        {
            BackendOverride = _ => new MockBackend(),
            StoreOptions = new StoreOptions { LockTimeout = TimeSpan.FromMilliseconds(150), LockWaiting = quickWaits.Add },
        };
        var patientWaits = new List<int?>();
        var patient = quick with { StoreOptions = new StoreOptions { LockTimeout = TimeSpan.FromSeconds(30), LockWaiting = patientWaits.Add } };
        StoreException refused;
        Task<int> waiting;
        using (ScuteStore.Open(project.Store).LockForChange())
        {
            refused = Assert.Throws<StoreException>(() => ExecOperation.Run(quick, built.EnvId, ["/bin/true"], null));
            waiting = Started(() => ExecOperation.Run(patient, built.EnvId, ["/bin/true"], null));
            Assert.False(waiting.Wait(400));
        }

        Assert.Equal(0, waiting.Result);
        Assert.Contains("--lock-timeout", refused.Message, StringComparison.Ordinal);
        Assert.Equal([Environment.ProcessId], quickWaits);
        Assert.Equal([Environment.ProcessId], patientWaits);
    }

    [SkippableFact]
    public void A_recovery_warning_reaches_the_sink_of_the_context_that_recovers()
    {
        TestProject.RequireBusybox();
        project.Build(project.WriteManifest("dev", TestProject.MockRuntime), name: "dev");
        var store = ScuteStore.Open(project.Store);
        File.WriteAllText(Path.Combine(store.Layout.WalDir, "0000000000001-1-x.json"), "not json");
        var bystander = new List<string>();
        var recovering = new List<string>();
        _ = ListOperation.Run(project.Context with { StoreOptions = new StoreOptions { Warn = bystander.Add } });

        DestroyOperation.Run(project.Context with { StoreOptions = new StoreOptions { Warn = recovering.Add } }, "dev");

        Assert.Contains(recovering, w => w.Contains("is corrupt", StringComparison.Ordinal));
        Assert.Empty(bystander);
    }

    private static Task<int> Started(Func<int> run) => Task.Factory.StartNew(run, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static int Exec(EngineContext context, string envId, string word, Barrier start)
    {
        start.SignalAndWait();
        return ExecOperation.Run(context, envId, ["/bin/echo", word], null);
    }
}
