namespace Scute.Store.Tests;

public class StoreLockTests
{
    [Fact]
    public void Second_lock_times_out_until_first_is_released()
    {
        using var tmp = new TempDir();
        var store = ScuteStore.Open(tmp.Path, create: true);
        using (store.Lock(TimeSpan.FromSeconds(1)))
        {
            var ex = Assert.Throws<StoreException>(() => store.Lock(TimeSpan.FromMilliseconds(200)));
            Assert.Contains("locked by another scute process", ex.Message, StringComparison.Ordinal);
        }

        using var again = store.Lock(TimeSpan.FromMilliseconds(200));
    }
}
