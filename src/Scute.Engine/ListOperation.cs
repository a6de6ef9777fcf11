using Scute.Store;

namespace Scute.Engine;

public static class ListOperation
{
    public static IReadOnlyList<EnvironmentMetadata> Run(string storeRoot)
    {
        if (!File.Exists(new StoreLayout(storeRoot).VersionFile))
        {
            return [];
        }

        var store = ScuteStore.Open(storeRoot, create: false);
        return [.. store.Metadata.List().Select(m => Lifecycle.RunRegistry.Effective(store, m))];
    }
}
