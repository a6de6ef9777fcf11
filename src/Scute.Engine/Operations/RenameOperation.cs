using Scute.Store;
using Scute.Engine.Lifecycle;

namespace Scute.Engine.Operations;

/// <summary>rename: a new name by the rules of DESIGN §7, unique in the store.</summary>
public static class RenameOperation
{
    public static EnvironmentMetadata Run(EngineContext context, string reference, string newName)
    {
        EnvironmentNames.Validate(newName);
        var store = context.OpenExistingStore();
        using var storeLock = store.LockForChange();
        var env = EnvironmentFinder.FindForChange(store, reference);
        if (store.Metadata.FindByName(newName).FirstOrDefault(m => m.EnvId != env.EnvId) is { } other)
        {
            throw new EngineException($"the name '{newName}' is already used by environment {other.ShortId}");
        }

        var renamed = env with { Name = newName, UpdatedAt = DateTimeOffset.UtcNow };
        var stored = RunRecords.ForStorage(renamed);
        using var op = store.Wal.Begin("rename", env.EnvId);
        op.RestoreMetadataOnRollback(env.EnvId);
        store.Metadata.Put(stored);
        op.Complete();
        return renamed;
    }
}
