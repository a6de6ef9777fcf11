using Scute.Store;
using Scute.Engine.Lifecycle;

namespace Scute.Engine.Operations;

public sealed record RebuildResult(BuildResult Build, IReadOnlyList<string> Removed);

/// <summary>
/// rebuild: builds the manifest's environment again from scratch, then removes the
/// environments previously built from the same manifest, all in one WAL entry: the old ones
/// go only after the new one is built. The name and the snapshots carry over; the upper dir
/// starts empty.
/// </summary>
public static class RebuildOperation
{
    public static RebuildResult Run(EngineContext context, string? manifestPath, TimeProvider clock)
    {
        var input = BuildOperation.Prepare(context, manifestPath, null);
        var store = context.OpenOrCreateStore();
        using var storeLock = store.LockForChange();
        var olds = store.Metadata.List().Where(m => m.ManifestPath == input.Path).Select(m => Fresh(store, m)).ToList();
        foreach (var old in olds)
        {
            StateMachine.RequireIn(old, "rebuild it", EnvState.Defined, EnvState.Built, EnvState.Frozen);
            if (RunRecords.AnyLive(store, old.EnvId))
            {
                throw new EngineException($"environment {old.ShortId} has running commands; stop it first");
            }
        }

        using var op = store.Wal.Begin("rebuild", clock: clock);
        var built = BuildOperation.Apply(store, input, null, clock, op);
        var trash = new List<string?>();
        foreach (var old in olds.Where(o => o.EnvId != built.EnvId))
        {
            trash.Add(DestroyOperation.Remove(store, old, op));
        }

        if (olds.Any(o => o.EnvId == built.EnvId))
        {
            trash.Add(ResetUpper(store, built.EnvId, op));
        }

        var name = olds.Select(o => o.Name).FirstOrDefault(n => n is not null);
        var current = store.Metadata.Get(built.EnvId);
        op.RestoreMetadataOnRollback(built.EnvId);
        var rebuilt = current with
        {
            Name = name ?? current.Name,
            State = EnvState.Built,
            Snapshots = [.. olds.SelectMany(o => o.Snapshots).Concat(current.Snapshots).Distinct()],
            CurrentSnapshot = null,
            UpdatedAt = clock.GetUtcNow(),
        };
        store.Metadata.Put(rebuilt);
        // Again: the upper folder was emptied after the build prepared the account from it.
        Prepared.ExecPreparation.Write(store, rebuilt);
        op.Complete();
        foreach (var t in trash)
        {
            DestroyOperation.DeleteTrash(t);
        }

        return new RebuildResult(built with { Name = name ?? current.Name }, [.. olds.Where(o => o.EnvId != built.EnvId).Select(o => o.ShortId)]);
    }

    /// <summary>Same identity: the old upper dir is set aside (kept until the WAL entry is complete) and an empty one takes its place.</summary>
    private static string ResetUpper(ScuteStore store, string envId, Store.Wal.WalOperation op)
    {
        var dirs = new EnvironmentDirs(store.Layout.EnvDir(envId));
        var staging = store.CreateStagingDir();
        op.RemoveOnRollback(staging);
        var old = Path.Combine(staging, "upper");
        if (Directory.Exists(dirs.Upper))
        {
            op.MoveBackOnRollback(old, dirs.Upper);
            Directory.Move(dirs.Upper, old);
        }

        op.RemoveOnRollback(dirs.Upper);
        Directory.CreateDirectory(dirs.Upper);
        return staging;
    }

    private static EnvironmentMetadata Fresh(ScuteStore store, EnvironmentMetadata env)
    {
        RunRecords.RemoveStale(store, env.EnvId);
        return RunRecords.Effective(store, env);
    }
}
