namespace Scute.Store.Gc;

/// <summary>
/// The store's garbage collection: read the store, mark from every environment, sweep the rest in an
/// order that never leaves a dangling reference (see <see cref="MarkSweep.Sweep"/>). Cancellation is
/// checked between deletions; what was done by then is reported. The caller holds the store lock.
/// </summary>
public static class StoreCollector
{
    /// <param name="stagingCutoff">Staging entries changed since are left alone.</param>
    /// <param name="removeTree">Deletes a folder tree without following links (see <see cref="GcSweeper"/>).</param>
    public static GcReport Collect(
        ScuteStore store,
        bool dryRun,
        DateTime stagingCutoff,
        Action<string> removeTree,
        CancellationToken cancel,
        Action<GcRemoval>? removed = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(removeTree);
        RefuseUnfinishedOperations(store.Layout);
        var graph = StoreInventory.Read(store, stagingCutoff);
        var marked = MarkSweep.Mark(graph.Roots(), graph.References);
        var garbage = MarkSweep.Sweep(graph.Candidates(), marked, graph.References);
        var kept = graph.Candidates().Count() - garbage.Count;
        var done = new List<GcRemoval>();
        var sweeper = new GcSweeper(store, graph.References, removeTree);
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
}
