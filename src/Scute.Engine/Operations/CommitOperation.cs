using Scute.Store;
using Scute.Store.Tar;
using Scute.Engine.Lifecycle;

namespace Scute.Engine.Operations;

/// <summary>
/// commit: packs the upper dir (whiteouts and opaque folders included) with the deterministic
/// packer, streamed straight into the object store, and records it as a Snapshot layer whose
/// parent is the previous snapshot, else the top layer. The metadata write is the commit point.
/// </summary>
public static class CommitOperation
{
    public static SnapshotInfo Run(EngineContext context, string reference, string? note, TimeProvider? clock = null)
    {
        var now = (clock ?? TimeProvider.System).GetUtcNow();
        var store = context.OpenExistingStore();
        using var storeLock = store.LockForChange();
        var env = EnvironmentFinder.FindForChange(store, reference);
        StateMachine.RequireIn(env, "commit it", EnvState.Built, EnvState.Frozen);
        var upper = new EnvironmentDirs(store.Layout.EnvDir(env.EnvId)).Upper;
        Directory.CreateDirectory(upper);
        var tar = UpperPacking.PackIntoStore(store, upper);
        var parent = env.CurrentSnapshot ?? (env.Layers.Count > 0 ? env.Layers[^1] : null);
        var layer = store.Layers.Put(new LayerDescription
        {
            Kind = LayerKind.Snapshot,
            Parent = parent,
            TarDigest = tar,
            Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim(),
            CreatedAt = now,
        });
        using var op = store.Wal.Begin("commit", env.EnvId);
        op.RestoreMetadataOnRollback(env.EnvId);
        store.Metadata.Put(env with
        {
            Snapshots = env.Snapshots.Contains(layer) ? env.Snapshots : [.. env.Snapshots, layer],
            CurrentSnapshot = layer,
            UpdatedAt = now,
        });
        op.Complete();
        return new SnapshotInfo(layer, tar, parent, now, note, Current: true);
    }
}
