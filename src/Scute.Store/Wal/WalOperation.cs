using System.Text.Json;

namespace Scute.Store.Wal;

/// <summary>
/// One mutating operation's write-ahead log. Each Record* call makes the rollback step durable
/// (the whole entry rewritten with <see cref="AtomicFile"/>) before the caller acts. Complete
/// removes the entry: the operation is done. Disposing without Complete rolls back at once
/// (an exception in the operation); a crash leaves the entry for the next command's recovery.
/// </summary>
public sealed class WalOperation : IDisposable
{
    private readonly StoreLayout _layout;
    private readonly List<WalStep> _steps = [];
    private readonly WalEntry _entry;
    private readonly Action<string> _warn;
    private bool _finished;

    internal WalOperation(StoreLayout layout, string op, string? envId, DateTimeOffset now, Action<string> warn)
    {
        _layout = layout;
        _warn = warn;
        var opId = $"{now.ToUnixTimeMilliseconds():D13}-{Environment.ProcessId}-{Guid.NewGuid():N}";
        _entry = new WalEntry { OpId = opId, Op = op, EnvId = envId, Pid = Environment.ProcessId, StartedAt = now };
        FilePath = Path.Combine(layout.WalDir, opId + ".json");
    }

    public string FilePath { get; }

    public IReadOnlyList<WalStep> Steps => _steps;

    /// <summary>Before creating <paramref name="path"/>: on rollback it is deleted.</summary>
    public void RemoveOnRollback(string path) =>
        Record(new WalStep { Kind = WalStepKind.RemovePath, Path = WalPaths.ToRelative(_layout, path) });

    /// <summary>Before moving <paramref name="original"/> to <paramref name="movedTo"/>: on rollback it is moved back.</summary>
    public void MoveBackOnRollback(string movedTo, string original) => Record(new WalStep
    {
        Kind = WalStepKind.Rename,
        From = WalPaths.ToRelative(_layout, movedTo),
        To = WalPaths.ToRelative(_layout, original),
    });

    /// <summary>Before writing or deleting an environment's metadata: on rollback its current bytes come back (or it is deleted if it had none).</summary>
    public void RestoreMetadataOnRollback(string envId)
    {
        var path = _layout.MetadataPath(envId);
        byte[]? current;
        try
        {
            current = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            current = null;
        }

        Record(current is null
            ? new WalStep { Kind = WalStepKind.DeleteMetadata, EnvId = envId }
            : new WalStep { Kind = WalStepKind.RestoreMetadata, EnvId = envId, Content = Convert.ToBase64String(current) });
    }

    /// <summary>The operation is done: its rollback steps are forgotten.</summary>
    public void Complete()
    {
        _finished = true;
        Delete();
    }

    public void Dispose()
    {
        if (_finished)
        {
            return;
        }

        _finished = true;
        if (_steps.Count == 0)
        {
            return;
        }

        try
        {
            WalReplay.RollBack(_layout, _entry with { Steps = _steps });
            Delete();
        }
        catch (StoreException e)
        {
            // Left on disk: the next command's recovery tries again.
            _warn($"{e.Message}; {FilePath} is kept for the next command to retry");
        }
    }

    private void Record(WalStep step)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        _steps.Add(step);
        Directory.CreateDirectory(_layout.WalDir);
        AtomicFile.WriteAllBytes(FilePath, JsonSerializer.SerializeToUtf8Bytes(_entry with { Steps = [.. _steps] }, StoreJsonContext.Default.WalEntry));
    }

    private void Delete()
    {
        if (File.Exists(FilePath))
        {
            File.Delete(FilePath);
            Interop.FSyncDirectory(_layout.WalDir);
        }
    }
}
