using Scute.Store;

namespace Scute.Engine.Lifecycle;

/// <summary>migrate: checks the store's format version. Format 1 is the first, so there is nothing older to convert yet.</summary>
public static class MigrateOperation
{
    public static string Run(string storeRoot)
    {
        var layout = new StoreLayout(storeRoot);
        if (!File.Exists(layout.VersionFile))
        {
            throw new EngineException($"no store at {storeRoot} yet (scute build creates it)");
        }

        var found = ScuteStore.ReadFormatVersion(storeRoot);
        if (found == ScuteStore.FormatVersion)
        {
            return $"store format {found} is current";
        }

        throw found > ScuteStore.FormatVersion
            ? new StoreException($"store at {layout.Root} has format version {found}, newer than this scute supports ({ScuteStore.FormatVersion}); use a newer scute")
            : new StoreException($"store at {layout.Root} has format version {found}, which no scute release wrote; cannot migrate it");
    }
}
