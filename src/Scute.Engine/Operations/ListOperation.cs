using Scute.Store;
using Scute.Engine.Lifecycle;

namespace Scute.Engine.Operations;

public static class ListOperation
{
    public static IReadOnlyList<EnvironmentSummary> Run(EngineContext context)
    {
        if (!File.Exists(new StoreLayout(context.StoreRoot).VersionFile))
        {
            return [];
        }

        var store = context.OpenStore();
        // Rows of the list index stand for the metadata files they were made from (a file is read
        // only when it changed since); run records are looked at only for the environments that
        // have a folder of them (one listing per run folder).
        var withRecords = Lifecycle.RunRecords.WithRecords(store);
        return [.. store.Metadata.Summaries().Select(m => withRecords.Contains(m.EnvId) ? Lifecycle.RunRecords.Effective(store, m) : Lifecycle.RunRecords.Effective(m, live: false))];
    }
}
