using System.Diagnostics;
using Scute.Engine.Gc;
using Scute.Store;

namespace Scute.Engine;

/// <summary>
/// gc: under the store lock, read the store, mark from every environment, sweep the rest in an
/// order that never leaves a dangling reference (see <see cref="MarkSweep.Sweep"/>). Cancellation
/// is checked between deletions; what was done by then is reported.
/// </summary>
public static class GcOperation
{
    /// <param name="stagingCutoff">Staging entries changed since are left alone (default: this process's start).</param>
    public static GcReport Run(string storeRoot, bool dryRun, CancellationToken cancel, Action<GcRemoval>? removed = null, DateTime? stagingCutoff = null)
    {
        var store = EnvironmentFinder.OpenExisting(storeRoot);
        using var storeLock = store.LockForChange();
        RefuseUnfinishedOperations(store.Layout);
        var graph = StoreInventory.Read(store, stagingCutoff ?? ProcessStart());
        var marked = MarkSweep.Mark(graph.Roots(), graph.References);
        var garbage = MarkSweep.Sweep(graph.Candidates(), marked, graph.References);
        var kept = graph.Candidates().Count() - garbage.Count;
        var done = new List<GcRemoval>();
        var sweeper = new GcSweeper(store, graph.References);
        var interrupted = false;
        foreach (var node in garbage)
        {
            if (cancel.IsCancellationRequested)
            {
                interrupted = true;
                break;
            }

            var removal = new GcRemoval(node, GcSweeper.PathOf(store.Layout, node), graph.SizeOf(node));
            if (dryRun || sweeper.Remove(node))
            {
                done.Add(removal);
                removed?.Invoke(removal);
            }
        }

        var notReached = garbage.Count - done.Count - sweeper.Failed.Count;
        return new GcReport(dryRun, done, sweeper.Failed, kept, interrupted ? notReached : 0, interrupted);
    }

    // The write-ahead log's rollback steps may name staging entries and folders: leave them to recovery.
    private static void RefuseUnfinishedOperations(StoreLayout layout)
    {
        if (Directory.Exists(layout.WalDir)
            && Directory.EnumerateFiles(layout.WalDir).Any(f => !Path.GetFileName(f).StartsWith('.')))
        {
            throw new StoreException($"an unfinished operation is recorded in {layout.WalDir}; gc removes nothing until it is recovered");
        }
    }

    // Staging entries from before this process started belong to no live command: every writer holds the lock.
    private static DateTime ProcessStart()
    {
        using var self = Process.GetCurrentProcess();
        return self.StartTime.ToUniversalTime();
    }
}
