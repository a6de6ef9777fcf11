using Scute.Store;
using Scute.Engine.Lifecycle;

namespace Scute.Engine.Operations;

public static class ListOperation
{
    public static IReadOnlyList<EnvironmentMetadata> Run(string storeRoot)
    {
        if (!File.Exists(new StoreLayout(storeRoot).VersionFile))
        {
            return [];
        }

        var store = ScuteStore.Open(storeRoot);
        // Each metadata file is read once; run records are looked at only for the environments
        // that have a folder of them (one listing per run folder).
        var withRecords = Lifecycle.RunRecords.WithRecords(store);
        return [.. store.Metadata.List().Select(m => withRecords.Contains(m.EnvId) ? Lifecycle.RunRecords.Effective(store, m) : Lifecycle.RunRecords.Effective(m, live: false))];
    }
}
