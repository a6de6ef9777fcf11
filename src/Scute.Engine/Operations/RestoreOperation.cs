using Scute.Policy;
using Scute.Store;
using Scute.Store.Tar;
using Scute.Engine.Lifecycle;

namespace Scute.Engine.Operations;

/// <summary>
/// restore: extracts a snapshot into a fresh staging folder, then swaps it with the upper dir
/// (old upper renamed aside, new one renamed into place), so the previous state stays
/// recoverable until the swap is done. Once the WAL entry is complete the old upper is garbage:
/// it moves to store/trash and is removed after the command has answered
/// (<see cref="TreeRemovalInBackground"/>), not while the user waits.
/// </summary>
public static class RestoreOperation
{
    public static SnapshotInfo Run(EngineContext context, string reference, string snapshot)
    {
        var store = context.OpenExistingStore();
        using var storeLock = store.LockForChange();
        var env = EnvironmentFinder.FindForChange(store, reference);
        StateMachine.RequireIn(env, "restore it", EnvState.Built);
        if (RunRecords.AnyLive(store, env.EnvId))
        {
            throw new EngineException($"environment {env.ShortId} has running commands; stop it first");
        }

        var layer = SnapshotsOperation.Resolve(env, snapshot);
        var description = store.Layers.Get(layer);
        if (description.Kind != LayerKind.Snapshot)
        {
            throw new EngineException($"layer {layer} is a {description.Kind.ToString().ToLowerInvariant()} layer, not a snapshot");
        }

        var upper = new EnvironmentDirs(store.Layout.EnvDir(env.EnvId)).Upper;
        using var op = store.Wal.Begin("restore", env.EnvId);
        var staging = store.CreateStagingDir();
        op.RemoveOnRollback(staging);
        var fresh = Path.Combine(staging, "upper");
        var old = Path.Combine(staging, "old");
        var keepSetuid = SecurityContextJson.Parse(env.SecurityJson).NoNewPrivileges;
        // Read and hashed on the second core while this one writes the files.
        using (var tar = store.Objects.OpenReadAhead(description.TarDigest))
        {
            SafeTarExtractor.Extract(tar, fresh, new ExtractOptions { OverlayWhiteouts = true, KeepSetuidBits = keepSetuid });
            // The tar's end marker stops the reader before the object's end: hash the rest before
            // the swap, so a corrupt object never replaces the upper dir.
            tar.ReadToEndAndVerify();
        }

        if (Directory.Exists(upper))
        {
            op.MoveBackOnRollback(old, upper);
            Directory.Move(upper, old);
        }

        op.MoveBackOnRollback(upper, fresh);
        Directory.Move(fresh, upper);
        op.RestoreMetadataOnRollback(env.EnvId);
        var restored = env with { CurrentSnapshot = layer, UpdatedAt = DateTimeOffset.UtcNow };
        store.Metadata.Put(restored);
        // Another upper folder: what build prepared from the old one is stale.
        Prepared.ExecPreparation.Write(store, restored);
        op.Complete();
        RemoveLater(store, staging);
        return new SnapshotInfo(layer, description.TarDigest, description.Parent, description.CreatedAt, description.Note, Current: true);
    }

    /// <summary>The restore is done whatever happens here: a folder that cannot be moved to the trash is removed now, as before.</summary>
    private static void RemoveLater(ScuteStore store, string staging)
    {
        TrashEntry entry;
        try
        {
            entry = store.Trash.MoveIn(staging);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or StoreException)
        {
            DestroyOperation.DeleteTrash(staging);
            return;
        }

        TreeRemovalInBackground.Start(entry);
    }
}
