using Scute.Engine.Lifecycle;
using Scute.Store;
using Scute.Store.Wal;

namespace Scute.Engine.Operations;

/// <summary>
/// destroy: under a WAL entry, the metadata goes (so the environment is gone for every reader),
/// then its folder is moved into staging; only after the entry is complete is the folder
/// deleted. A crash before that point is rolled back by the next command; after it, only
/// scratch in staging is left, which recovery empties.
/// </summary>
public static class DestroyOperation
{
    public static EnvironmentMetadata Run(EngineContext context, string reference)
    {
        var store = context.OpenExistingStore();
        using var storeLock = store.LockForChange();
        var env = EnvironmentFinder.FindForChange(store, reference);
        using var op = store.Wal.Begin("destroy", env.EnvId);
        var trash = Remove(store, env, op);
        op.Complete();
        DeleteTrash(trash);
        RemoveLaunchers(env.EnvId);
        return env;
    }

    /// <summary>Refuses a running environment; records and makes the removal. Returns the staging folder to delete once the WAL entry is complete.</summary>
    internal static string? Remove(ScuteStore store, EnvironmentMetadata env, WalOperation op)
    {
        StateMachine.RequireIn(env, "destroy it", EnvState.Defined, EnvState.Built, EnvState.Frozen, EnvState.Archived);
        if (RunRecords.AnyLive(store, env.EnvId))
        {
            throw new EngineException($"environment {env.ShortId} has running commands; stop it first");
        }

        UserNamespaceHolders.End(store, env.EnvId);

        op.RestoreMetadataOnRollback(env.EnvId);
        store.Metadata.Delete(env.EnvId);
        var dir = store.Layout.EnvDir(env.EnvId);
        if (!Directory.Exists(dir))
        {
            return null;
        }

        var staging = store.CreateStagingDir();
        var trash = Path.Combine(staging, "env");
        op.MoveBackOnRollback(trash, dir);
        Directory.Move(dir, trash);
        return staging;
    }

    /// <summary>The menu entries and scripts exported from it would only fail now; a failure to remove them does not undo the destroy.</summary>
    private static void RemoveLaunchers(string envId)
    {
        try
        {
            Launchers.AppLaunchers.Remove(envId, null);
            Launchers.BinLauncher.Remove(envId, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or EngineException)
        {
        }
    }

    internal static void DeleteTrash(string? staging)
    {
        if (staging is null)
        {
            return;
        }

        try
        {
            TreeRemoval.Remove(staging);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The environment is gone; what is left in staging is emptied by the next command's recovery.
        }
    }
}
