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
    public void A_negative_lock_timeout_is_a_usage_error()
    {
        var r = CliRun.Run("--lock-timeout", "-1", "gc", "--store", temp.Store);

        Assert.Equal(1, r.Code);
        Assert.Contains("--lock-timeout must be a number of seconds", r.Err, StringComparison.Ordinal);
    }
}
