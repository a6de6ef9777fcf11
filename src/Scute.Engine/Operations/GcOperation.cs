using System.Diagnostics;
using Scute.Store.Gc;

namespace Scute.Engine.Operations;

/// <summary>gc: the store's own collection (<see cref="StoreCollector"/>) under the store lock.</summary>
public static class GcOperation
{
    /// <param name="stagingCutoff">Staging entries changed since are left alone (default: this process's start).</param>
    public static GcReport Run(EngineContext context, bool dryRun, CancellationToken cancel, Action<GcRemoval>? removed = null, DateTime? stagingCutoff = null)
    {
        var store = context.OpenExistingStore();
        using var storeLock = store.LockForChange();
        if (!dryRun)
        {
            // Recovery removed the abandoned trash entries it could as you; files of subordinate ids need a user namespace.
            store.Trash.RemoveAbandoned(TreeRemoval.Remove);
        }

        return StoreCollector.Collect(store, dryRun, stagingCutoff ?? ProcessStart(), TreeRemoval.Remove, cancel, removed);
    }

    // Staging entries from before this process started belong to no live command: every writer holds the lock.
    private static DateTime ProcessStart()
    {
        using var self = Process.GetCurrentProcess();
        return self.StartTime.ToUniversalTime();
    }
}
