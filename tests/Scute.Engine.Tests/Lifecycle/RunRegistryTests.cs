using System.Diagnostics;
using System.Globalization;
using Scute.Engine.Lifecycle;
using Scute.Store;

namespace Scute.Engine.Tests.Lifecycle;

/// <summary>An environment is running while the scute process or the backend's child that it recorded lives.</summary>
public sealed class RunRegistryTests : IDisposable
{
    private readonly TestProject project = new();

    public void Dispose() => project.Dispose();

    [SkippableFact]
    public void A_run_whose_scute_was_killed_counts_while_its_backend_child_lives()
    {
        TestProject.RequireBusybox();
        var built = project.Build(project.WriteManifest("app", TestProject.MockRuntime));
        var store = ScuteStore.Open(project.Store, create: false);
        using var child = Process.Start("sleep", "30");
        try
        {
            var dead = DeadPid();
            WriteRun(store, built.EnvId, dead, $"{StartOf(dead)}\n{child.Id} {StartOf(child.Id)}\n");

            Assert.Equal([dead], RunRegistry.Live(store, built.EnvId));

            child.Kill();
            child.WaitForExit();

            Assert.Empty(RunRegistry.Live(store, built.EnvId));
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill();
            }
        }
    }

    [SkippableFact]
    public void A_recorded_child_pid_reused_by_another_process_does_not_count()
    {
        TestProject.RequireBusybox();
        var built = project.Build(project.WriteManifest("app", TestProject.MockRuntime));
        var store = ScuteStore.Open(project.Store, create: false);
        var dead = DeadPid();

        // Our own pid with a start time that is not ours: a reused pid.
        WriteRun(store, built.EnvId, dead, $"1\n{Environment.ProcessId} 1\n");

        Assert.Empty(RunRegistry.Live(store, built.EnvId));
    }

    [SkippableFact]
    public void RecordProcess_keeps_the_scute_process_and_adds_the_child()
    {
        TestProject.RequireBusybox();
        var built = project.Build(project.WriteManifest("app", TestProject.MockRuntime));
        var store = ScuteStore.Open(project.Store, create: false);
        var file = RunRegistry.Register(store, built.EnvId);

        RunRegistry.RecordProcess(file, Environment.ProcessId);

        var lines = File.ReadAllLines(file);
        Assert.Equal(2, lines.Length);
        Assert.Equal([Environment.ProcessId], RunRegistry.Live(store, built.EnvId));
        RunRegistry.Unregister(file);
        Assert.Empty(RunRegistry.Live(store, built.EnvId));
    }

    private static void WriteRun(ScuteStore store, string envId, int pid, string content)
    {
        var dir = RunRegistry.RunDir(store, envId);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, pid.ToString(CultureInfo.InvariantCulture)), content);
    }

    private static int DeadPid()
    {
        using var p = Process.Start("true")!;
        p.WaitForExit();
        return p.Id;
    }

    private static string StartOf(int pid)
    {
        var stat = File.Exists($"/proc/{pid}/stat") ? File.ReadAllText($"/proc/{pid}/stat") : null;
        return stat is null ? "12345" : stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19];
    }
}
