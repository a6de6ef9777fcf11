using Scute.Store;

namespace Scute.Engine.Operations;

/// <summary>migrate: checks the store's format version. Format 1 is the first, so there is nothing older to convert yet.</summary>
public static class MigrateOperation
{
    public static string Run(EngineContext context)
    {
        var layout = new StoreLayout(context.StoreRoot);
        if (!File.Exists(layout.VersionFile))
        {
            throw new EngineException($"no store at {context.StoreRoot} yet (scute build creates it)");
        }

        var found = ScuteStore.ReadFormatVersion(context.StoreRoot);
        if (found == ScuteStore.FormatVersion)
        {
            var prepared = PrepareExec(context);
            return prepared == 0 ? $"store format {found} is current" : $"store format {found} is current; prepared exec for {prepared} environment(s)";
        }

        throw found > ScuteStore.FormatVersion
            ? new StoreException($"store at {layout.Root} has format version {found}, newer than this scute supports ({ScuteStore.FormatVersion}); use a newer scute")
            : new StoreException($"store at {layout.Root} has format version {found}, which no scute release wrote; cannot migrate it");
    }

    /// <summary>
    /// Environments built by an older scute (or whose host policy or upper changed since) get
    /// the file exec verifies instead of recomputing (storage-format.md, "What build stores for exec").
    /// One that cannot run any more (its image is gone) is left as it is: exec names the problem.
    /// </summary>
    private static int PrepareExec(EngineContext context)
    {
        var store = context.OpenExistingStore();
        var count = 0;
        using (store.LockForChange())
        {
            foreach (var env in store.Metadata.List())
            {
                if (!Directory.Exists(store.Layout.ImageRootfs(env.ImageKey)))
                {
                    continue;
                }

                try
                {
                    if (Prepared.ExecPreparation.Load(store, env) is null)
                    {
                        Prepared.ExecPreparation.Write(store, env);
                        count++;
                    }
                }
                catch (Exception e) when (e is EngineException or StoreException or IOException or Runtime.ContainerSetupException)
                {
                    continue;
                }
            }
        }

        return count;
    }
}
