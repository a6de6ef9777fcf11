namespace Scute.Store.Tests;

public class StoreLockTests
{
    [Fact]
    public void Second_lock_times_out_until_first_is_released()
    {
        using var tmp = new TempDir();
        var store = ScuteStore.OpenOrCreate(tmp.Path);
        using (store.LockForChange(TimeSpan.FromSeconds(1)))
        {
            var ex = Assert.Throws<StoreException>(() => store.LockForChange(TimeSpan.FromMilliseconds(200)));
            Assert.Contains("locked by another scute process", ex.Message, StringComparison.Ordinal);
        }

        using var again = store.LockForChange(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Shared_locks_go_together_and_keep_the_exclusive_one_out()
    {
        using var tmp = new TempDir();
        var store = ScuteStore.OpenOrCreate(tmp.Path);
        using (store.LockShared(TimeSpan.Zero))
        {
            using (var second = store.LockShared(TimeSpan.Zero))
            {
                Assert.True(second.Shared);
            }

            Assert.Throws<StoreException>(() => store.LockForChange(TimeSpan.FromMilliseconds(100)));
            // A shared holder does not claim the lock file: there may be several.
            Assert.Equal(0, new FileInfo(store.Layout.LockFile).Length);
        }

        using (store.LockForChange(TimeSpan.Zero))
        {
            Assert.Throws<StoreException>(() => store.LockShared(TimeSpan.FromMilliseconds(100)));
        }
    }
}
