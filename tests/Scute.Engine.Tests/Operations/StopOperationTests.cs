using System.Diagnostics;
using Scute.Engine.Lifecycle;
using Scute.Store;
using static Scute.Engine.Tests.Lifecycle.OperationFixture;
using Scute.Engine.Operations;

namespace Scute.Engine.Tests.Operations;

/// <summary>
/// stop: SIGTERM to the grandchildren of each live run's scute process (the init stages), SIGKILL
/// after the timeout; then the stale records are gone and the environment is built. A shell
/// stands for scute, a shell under it for the outer stage, and the process under that for pid 1.
/// </summary>
[Collection(ProcessStateCollection.Name)]
public sealed class StopOperationTests : IDisposable
{
    private readonly TestProject project = new();
    private readonly EnvironmentVariables variables = new();
    private readonly List<Process> started = [];

    public StopOperationTests() => variables.Set("XDG_RUNTIME_DIR", null);

    public void Dispose()
    {
        foreach (var p in started)
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
            }

            p.Dispose();
        }

        variables.Dispose();
        project.Dispose();
    }

    [SkippableFact]
    public void Stop_with_nothing_running_reports_no_commands_and_changes_nothing()
    {
        var (built, store) = BuildWeb(project);
        var metadata = MetadataBytes(store, built.EnvId);

        var stopped = StopOperation.Run(project.Context, "web", TimeSpan.FromSeconds(1));

        Assert.Equal((0, false, EnvState.Built), (stopped.Commands, stopped.Killed, stopped.Env.State));
        Assert.Equal(metadata, MetadataBytes(store, built.EnvId));
    }

    [SkippableFact]
    public void Stop_terminates_the_init_stage_and_removes_the_run_record()
    {
        var (built, store) = BuildWeb(project);
        var run = FakeRun("sleep 60");
        var record = Record(store, built.EnvId, run);
        var metadata = MetadataBytes(store, built.EnvId);

        var stopped = StopOperation.Run(project.Context, "web", TimeSpan.FromSeconds(20));

        Assert.Equal((1, false, EnvState.Built), (stopped.Commands, stopped.Killed, stopped.Env.State));
        Assert.True(run.HasExited);
        Assert.False(File.Exists(record));
        Assert.Empty(RunRecords.Live(store, built.EnvId));
        Assert.Equal(metadata, MetadataBytes(store, built.EnvId));
    }

    [SkippableFact]
    public void An_init_stage_that_ignores_sigterm_is_killed_after_the_timeout()
    {
        var (built, store) = BuildWeb(project);
        // The init ignores SIGTERM and waits on a child that exits by itself soon after the kill.
        var run = FakeRun("trap '' TERM; sleep 3; true");
        var deadline = Stopwatch.StartNew();
        while (!Grandchildren(run.Id).SelectMany(ProcessSignals.Children).Any())
        {
            // Its sleep has started, so the trap is set.
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "the fake init did not start its child");
            Thread.Sleep(20);
        }

        Record(store, built.EnvId, run);

        var stopped = StopOperation.Run(project.Context, "web", TimeSpan.FromMilliseconds(300));

        Assert.Equal((1, true, EnvState.Built), (stopped.Commands, stopped.Killed, stopped.Env.State));
        Assert.Empty(RunRecords.Live(store, built.EnvId));
    }

    [SkippableFact]
    public void Stopping_an_unknown_environment_is_refused_naming_it()
    {
        BuildWeb(project);

        var e = Assert.Throws<EngineException>(() => StopOperation.Run(project.Context, "nope", TimeSpan.Zero));

        Assert.Equal(NoEnvironment(project, "nope"), e.Message);
    }

    /// <summary>scute (sh) → outer stage (sh) → init (sh -c <paramref name="init"/>); "; true" keeps each shell from exec'ing its last command.</summary>
    private Process FakeRun(string init)
    {
        var p = Process.Start("sh", ["-c", $"sh -c \"sh -c \\\"{init}\\\"; true\"; true"]);
        started.Add(p);
        var deadline = Stopwatch.StartNew();
        while (Grandchildren(p.Id).Count == 0)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "the fake run did not start its init");
            Thread.Sleep(20);
        }

        return p;
    }

    private static List<int> Grandchildren(int pid) =>
        [.. ProcessSignals.Children(pid).SelectMany(ProcessSignals.Children)];

    private static string Record(ScuteStore store, string envId, Process scute)
    {
        var dir = Path.Combine(store.Layout.RunDir, envId);
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, Pid(scute.Id));
        File.WriteAllText(path, StartOf(scute.Id) + "\n");
        Assert.Single(RunRecords.Live(store, envId));
        return path;
    }
}
