using System.Diagnostics;

namespace Scute.Store.Tests;

/// <summary>
/// store/trash: a tree moved there is removed by whoever holds its entry's lock; recovery removes
/// only the entries nobody holds (a remover that died), and a child started while the entry is
/// handed over keeps it locked after the command that moved it in has let go.
/// </summary>
public sealed class StoreTrashTests : IDisposable
{
    private readonly TempDir dir = new();
    private readonly ScuteStore store;

    public StoreTrashTests() => store = ScuteStore.OpenOrCreate(dir.Combine("root"));

    public void Dispose() => dir.Dispose();

    [Fact]
    public void An_entry_being_removed_is_left_alone_and_an_abandoned_one_is_removed_by_recovery()
    {
        var entry = store.Trash.MoveIn(OldUpper());

        Assert.False(store.Wal.NeedsRecovery());
        store.Wal.Recover();
        Assert.True(File.Exists(Path.Combine(entry.Path, "old", "d", "f")));

        entry.Dispose(); // the remover died: nobody holds the entry any more
        Assert.True(store.Wal.NeedsRecovery());
        store.Wal.RecoverIfNeeded();

        Assert.Empty(store.Trash.Entries());
        Assert.False(store.Wal.NeedsRecovery());
    }

    [Fact]
    public void A_half_removed_entry_is_finished_by_recovery()
    {
        using (var entry = store.Trash.MoveIn(OldUpper()))
        {
            File.Delete(Path.Combine(entry.Path, "old", "d", "f"));
        }

        Assert.Equal(1, store.Trash.RemoveAbandoned(Scute.Store.Wal.PathRemoval.Remove));
        Assert.Empty(store.Trash.Entries());
    }

    [Fact]
    public void A_child_started_during_the_hand_over_keeps_the_entry_locked_after_the_command_let_go()
    {
        Process child;
        using (var entry = store.Trash.MoveIn(OldUpper()))
        {
            child = entry.HandOver(() => Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!);
        }

        using (child)
        {
            Assert.False(store.Trash.HasAbandoned());
            Assert.Equal(0, store.Trash.RemoveAbandoned(Scute.Store.Wal.PathRemoval.Remove));
            Assert.Single(store.Trash.Entries());

            child.Kill();
            child.WaitForExit();
        }

        Assert.True(store.Trash.HasAbandoned());
        Assert.Equal(1, store.Trash.RemoveAbandoned(Scute.Store.Wal.PathRemoval.Remove));
    }

    [Fact]
    public void A_child_started_outside_the_hand_over_does_not_get_the_lock()
    {
        Process child;
        using (store.Trash.MoveIn(OldUpper()))
        {
            child = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        }

        using (child)
        {
            try
            {
                Assert.True(store.Trash.HasAbandoned());
            }
            finally
            {
                child.Kill();
                child.WaitForExit();
            }
        }
    }

    /// <summary>A staging folder holding an old upper dir, as restore leaves it once its WAL entry is complete.</summary>
    private string OldUpper()
    {
        var staging = store.CreateStagingDir();
        Directory.CreateDirectory(Path.Combine(staging, "old", "d"));
        File.WriteAllText(Path.Combine(staging, "old", "d", "f"), "old state");
        return staging;
    }
}
