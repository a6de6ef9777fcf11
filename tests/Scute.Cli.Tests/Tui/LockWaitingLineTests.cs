using Scute.Store;
using Scute.Tui;

namespace Scute.Cli.Tests.Tui;

public sealed class LockWaitingLineTests
{
    [Fact]
    public void The_waiting_line_of_the_tuis_operations_goes_where_the_ui_points_it()
    {
        using var temp = new TempDir();
        var store = ScuteStore.OpenOrCreate(temp.Store);
        var waiting = new LockWaitingLine();
        var statusLine = new List<string>();
        waiting.Target = statusLine.Add;
        var ops = EngineOperations.ForStore(temp.Store, waiting);
        var gc = new Thread(() => ops.Gc());

        using (store.LockForChange())
        {
            gc.Start();
            Assert.False(gc.Join(300));
        }

        Assert.True(gc.Join(TimeSpan.FromSeconds(10)));
        Assert.Equal([$"scute: waiting for the store lock held by another scute process (pid {Environment.ProcessId})..."], statusLine);
    }
}
