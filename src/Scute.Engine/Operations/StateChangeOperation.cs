using Scute.Store;
using Scute.Engine.Lifecycle;

namespace Scute.Engine.Operations;

/// <summary>freeze, thaw and archive: a checked state change recorded in the metadata.</summary>
public static class StateChangeOperation
{
    public static EnvironmentMetadata Freeze(EngineContext context, string reference) => Change(context, reference, EnvState.Frozen, "freeze it");

    public static EnvironmentMetadata Thaw(EngineContext context, string reference) => Change(context, reference, EnvState.Built, "thaw it");

    public static EnvironmentMetadata Archive(EngineContext context, string reference) => Change(context, reference, EnvState.Archived, "archive it");

    private static EnvironmentMetadata Change(EngineContext context, string reference, EnvState to, string verb)
    {
        var store = context.OpenExistingStore();
        using var storeLock = store.LockForChange();
        var env = EnvironmentFinder.FindForChange(store, reference);
        StateMachine.Require(env, to, verb);
        if (RunRecords.AnyLive(store, env.EnvId))
        {
            throw new EngineException($"environment {env.ShortId} has running commands; stop it first");
        }

        var changed = env with { State = to, UpdatedAt = DateTimeOffset.UtcNow };
        using var op = store.Wal.Begin(to == EnvState.Archived ? "archive" : "freeze", env.EnvId);
        op.RestoreMetadataOnRollback(env.EnvId);
        store.Metadata.Put(changed);
        op.Complete();
        return changed;
    }
}
