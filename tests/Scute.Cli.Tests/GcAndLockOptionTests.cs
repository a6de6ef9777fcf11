using System.Text.Json.Nodes;
using Scute.Store;

namespace Scute.Cli.Tests;

/// <summary>scute gc and the global --lock-timeout, run in-process.</summary>
public sealed class GcAndLockOptionTests : IDisposable
{
    private readonly TempDir temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Gc_of_an_empty_store_removes_nothing()
    {
        ScuteStore.OpenOrCreate(temp.Store);

        var text = CliRun.Run("gc", "--store", temp.Store);
        var json = CliRun.Run("--json", "gc", "--dry-run", "--store", temp.Store);

        Assert.Equal(0, text.Code);
        Assert.Equal("removed 0 objects (0.0 MB), 0 layers, 0 images, 0 env folders, 0 staging entries; kept 0", text.Out.Trim());
        Assert.Equal(0, json.Code);
        Assert.True(JsonNode.Parse(json.Out)!["dry_run"]!.GetValue<bool>());
    }

    [Fact]
    public void Gc_while_another_holds_the_lock_gives_up_at_the_lock_timeout_with_exit_3()
    {
        var store = ScuteStore.OpenOrCreate(temp.Store);
        using var held = store.LockForChange();

        var r = CliRun.Run("--lock-timeout", "0.2", "gc", "--store", temp.Store);

        Assert.Equal(3, r.Code);
        Assert.Equal(2, r.ErrLines.Length);
        Assert.Equal($"scute: waiting for the store lock held by another scute process (pid {Environment.ProcessId})...", r.ErrLines[0]);
        Assert.Contains("gave up after 0.2 s (--lock-timeout)", r.ErrLines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_command_lines_run_side_by_side_each_wait_with_their_own_lock_timeout_and_stderr()
    {
        var store = ScuteStore.OpenOrCreate(temp.Store);
        CliResult quick;
        Task<CliResult> patient;
        using (store.LockForChange())
        {
            var quickRun = Started(() => CliRun.Run("--lock-timeout", "0.2", "gc", "--store", temp.Store));
            patient = Started(() => CliRun.Run("--lock-timeout", "30", "gc", "--store", temp.Store));
            quick = await quickRun;
            Assert.NotSame(patient, await Task.WhenAny(patient, Task.Delay(300)));
        }

        var patientResult = await patient;

        var waiting = $"scute: waiting for the store lock held by another scute process (pid {Environment.ProcessId})...";
        Assert.Equal(3, quick.Code);
        Assert.Equal(waiting, quick.ErrLines[0]);
        Assert.Contains("gave up after 0.2 s (--lock-timeout)", quick.ErrLines[1], StringComparison.Ordinal);
        Assert.Equal(0, patientResult.Code);
        Assert.Equal([waiting], patientResult.ErrLines);
    }

    private static Task<CliResult> Started(Func<CliResult> run) =>
        Task.Factory.StartNew(run, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    [Fact]
    public void A_negative_lock_timeout_is_a_usage_error()
    {
        var r = CliRun.Run("--lock-timeout", "-1", "gc", "--store", temp.Store);

        Assert.Equal(1, r.Code);
        Assert.Contains("--lock-timeout must be a number of seconds", r.Err, StringComparison.Ordinal);
    }
}
