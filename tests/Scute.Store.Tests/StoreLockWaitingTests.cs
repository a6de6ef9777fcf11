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
        var store = ScuteStore.OpenOrCreate(tmp.Path);
        var calls = new List<int?>();
        StoreLockOptions.Waiting = calls.Add;
        StoreLockOptions.Timeout = TimeSpan.FromMilliseconds(400);
        try
        {
            using var held = store.LockForChange();
            var clock = Stopwatch.StartNew();

            var e = Assert.Throws<StoreException>(() => store.LockForChange());

            Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(350), TimeSpan.FromSeconds(5));
            Assert.Equal([Environment.ProcessId], calls);
            Assert.Contains($"locked by another scute process (pid {Environment.ProcessId}", e.Message, StringComparison.Ordinal);
            Assert.Contains("--lock-timeout", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            StoreLockOptions.Waiting = null;
            StoreLockOptions.Timeout = null;
        }
    }

    [Fact]
    public void Without_a_timeout_a_waiting_lock_proceeds_once_the_holder_releases()
    {
        using var tmp = new TempDir();
        var store = ScuteStore.OpenOrCreate(tmp.Path);
        var held = store.LockForChange();
        var waited = 0;
        StoreLockOptions.Waiting = _ => Interlocked.Increment(ref waited);
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
            StoreLockOptions.Waiting = null;
            held.Dispose();
        }
    }

    [Fact]
    public void An_explicit_timeout_wins_over_the_command_line_one()
    {
        using var tmp = new TempDir();
        var store = ScuteStore.OpenOrCreate(tmp.Path);
        StoreLockOptions.Timeout = TimeSpan.FromHours(1);
        try
        {
            using var held = store.LockForChange();
            Assert.Throws<StoreException>(() => store.LockForChange(TimeSpan.FromMilliseconds(100)));
        }
        finally
        {
            StoreLockOptions.Timeout = null;
        }
    }

    [Fact]
    public void The_waiting_message_names_the_pid_when_known()
    {
        Assert.Equal("scute: waiting for the store lock held by another scute process (pid 42)...", StoreLockOptions.WaitingMessage(42));
        Assert.Equal("scute: waiting for the store lock held by another process...", StoreLockOptions.WaitingMessage(null));
    }
}
