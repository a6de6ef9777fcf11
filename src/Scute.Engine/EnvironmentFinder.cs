using Scute.Store;

namespace Scute.Engine;

/// <summary>Finds an environment by env_id, short_id (or any unique id prefix of 12+) or name.</summary>
public static class EnvironmentFinder
{
    public static EnvironmentMetadata Find(ScuteStore store, string reference)
    {
        var all = store.Metadata.List();
        var byName = all.Where(m => m.Name == reference).ToList();
        if (byName.Count == 1)
        {
            return byName[0];
        }

        var byId = all.Where(m => m.EnvId == reference || (reference.Length >= 12 && m.EnvId.StartsWith(reference, StringComparison.Ordinal))).ToList();
        return byId.Count switch
        {
            1 => byId[0],
            0 => throw new EngineException($"no environment '{reference}' in the store {store.Layout.Root} (see scute list)"),
            _ => throw new EngineException($"'{reference}' matches {byId.Count} environments; give more of the id"),
        };
    }

    /// <summary>Under the store lock, for commands that change the environment: finds it and repairs a stale running state.</summary>
    public static EnvironmentMetadata FindForChange(ScuteStore store, string reference) =>
        Lifecycle.RunRegistry.Repair(store, Find(store, reference));

    public static ScuteStore OpenExisting(string storeRoot)
    {
        if (!File.Exists(new StoreLayout(storeRoot).VersionFile))
        {
            throw new EngineException($"no store at {storeRoot} yet (scute build creates it)");
        }

        return ScuteStore.Open(storeRoot, create: false);
    }
}
