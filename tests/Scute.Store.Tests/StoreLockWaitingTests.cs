using System.Diagnostics;

namespace Scute.Store.Tests;

/// <summary>Waiting for a held lock: the holder's pid in the lock file, one waiting call, --lock-timeout.</summary>
public class StoreLockWaitingTests
{
    [Fact]
    public void The_holder_records_its_pid_and_clears_it_on_release()
    {
        using var tmp = new TempDir();
        var store = ScuteStore.OpenOrCreate(tmp.Path);

        using (store.LockForChange(TimeSpan.FromSeconds(1)))
        {
            Assert.Equal(Environment.ProcessId, StoreLock.ReadHolder(store.Layout.LockFile));
        }

        Assert.Equal(0, new FileInfo(store.Layout.LockFile).Length);
        Assert.Null(StoreLock.ReadHolder(store.Layout.LockFile));
    }

    [Fact]
    public void A_second_lock_says_once_that_it_waits_then_gives_up_at_the_timeout()
    {
        using var tmp = new TempDir();
        var calls = new List<int?>();
        var store = ScuteStore.OpenOrCreate(tmp.Path, new StoreOptions { LockWaiting = calls.Add, LockTimeout = TimeSpan.FromMilliseconds(400) });
        using var held = store.LockForChange();
        var clock = Stopwatch.StartNew();

        var e = Assert.Throws<StoreException>(() => store.LockForChange());

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(350), TimeSpan.FromSeconds(5));
        Assert.Equal([Environment.ProcessId], calls);
        Assert.Contains($"locked by another scute process (pid {Environment.ProcessId}", e.Message, StringComparison.Ordinal);
        Assert.Contains("--lock-timeout", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shared_lock_waits_with_the_stores_options_too()
    {
        using var tmp = new TempDir();
        var calls = new List<int?>();
        var store = ScuteStore.OpenOrCreate(tmp.Path, new StoreOptions { LockWaiting = calls.Add, LockTimeout = TimeSpan.FromMilliseconds(200) });
        using var held = store.LockForChange();

        Assert.Throws<StoreException>(() => store.LockShared());

        Assert.Equal([Environment.ProcessId], calls);
    }

    [Fact]
    public void Two_stores_opened_with_different_options_each_keep_their_own_while_they_wait_side_by_side()
    {
        // No ambient setting: one thread per store, started together, each with its own timeout and waiting callback.
        using var tmp = new TempDir();
        using var holder = ScuteStore.OpenOrCreate(tmp.Path).LockForChange();
        var shortCalls = new List<int?>();
        var longCalls = new List<int?>();
        var quick = ScuteStore.Open(tmp.Path, new StoreOptions { LockTimeout = TimeSpan.FromMilliseconds(150), LockWaiting = shortCalls.Add });
        var patient = ScuteStore.Open(tmp.Path, new StoreOptions { LockTimeout = TimeSpan.FromMilliseconds(900), LockWaiting = longCalls.Add });
        var quickTook = TimeSpan.Zero;
        var patientTook = TimeSpan.Zero;
        using var start = new Barrier(2);

        var first = new Thread(() => quickTook = TimeToGiveUp(quick, start));
        var second = new Thread(() => patientTook = TimeToGiveUp(patient, start));
        first.Start();
        second.Start();
        first.Join();
        second.Join();

        Assert.InRange(quickTook, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(700));
        Assert.InRange(patientTook, TimeSpan.FromMilliseconds(850), TimeSpan.FromSeconds(10));
        Assert.Equal([Environment.ProcessId], shortCalls);
        Assert.Equal([Environment.ProcessId], longCalls);
    }

    private static TimeSpan TimeToGiveUp(ScuteStore store, Barrier start)
    {
        start.SignalAndWait();
        var clock = Stopwatch.StartNew();
        Assert.Throws<StoreException>(() => store.LockForChange());
        return clock.Elapsed;
    }

    [Fact]
    public void A_store_opened_without_options_waits_silently_and_without_a_timeout()
    {
        using var tmp = new TempDir();
        Assert.Same(StoreOptions.Default, ScuteStore.OpenOrCreate(tmp.Path).Options);
        Assert.Null(StoreOptions.Default.LockTimeout);
        Assert.Null(StoreOptions.Default.LockWaiting);
    }

    [Fact]
    public void Without_a_timeout_a_waiting_lock_proceeds_once_the_holder_releases()
    {
        using var tmp = new TempDir();
        var waited = 0;
        var store = ScuteStore.OpenOrCreate(tmp.Path, new StoreOptions { LockWaiting = _ => Interlocked.Increment(ref waited) });
        var held = store.LockForChange();
        try
        {
            using var acquired = new ManualResetEventSlim();
            var second = new Thread(() =>
            {
                using var l = store.LockForChange();
                acquired.Set();
            });
            second.Start();
            Assert.False(acquired.Wait(300));
            held.Dispose();

            Assert.True(acquired.Wait(TimeSpan.FromSeconds(10)));
            second.Join();
            Assert.Equal(1, waited);
        }
        finally
        {
            held.Dispose();
        }
    }

    [Fact]
    public void An_explicit_timeout_wins_over_the_command_line_one()
    {
        using var tmp = new TempDir();
        var store = ScuteStore.OpenOrCreate(tmp.Path, new StoreOptions { LockTimeout = TimeSpan.FromHours(1) });
        using var held = store.LockForChange();
        Assert.Throws<StoreException>(() => store.LockForChange(TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public void The_waiting_message_names_the_pid_when_known()
    {
        Assert.Equal("scute: waiting for the store lock held by another scute process (pid 42)...", StoreLock.WaitingMessage(42));
        Assert.Equal("scute: waiting for the store lock held by another process...", StoreLock.WaitingMessage(null));
    }
}
