using System.Text.Json;

namespace Scute.Store.Wal;

/// <summary>
/// store/wal/: starts operations and, under the store lock, rolls back the ones a crashed
/// process left behind (newest step first). A corrupt entry is reported and removed; it never
/// stops the command. When every leftover is rolled back, store/staging/ is emptied too: all
/// its users hold the lock, so whatever is there belongs to a process that died.
/// </summary>
public sealed class WriteAheadLog
{
    private readonly StoreLayout _layout;
    private readonly StoreTrash _trash;

    /// <summary>Where recovery and rollback report what they did: the store's <see cref="StoreOptions.Warn"/>.</summary>
    private readonly Action<string> _warn;

    internal WriteAheadLog(StoreLayout layout, StoreTrash trash, Action<string> warn)
    {
        _layout = layout;
        _trash = trash;
        _warn = warn;
    }

    public WalOperation Begin(string op, string? envId = null, TimeProvider? clock = null) =>
        new(_layout, op, envId, (clock ?? TimeProvider.System).GetUtcNow(), _warn);

    /// <summary>Entries on disk, oldest first (names start with the start time).</summary>
    public IReadOnlyList<string> Pending() => Directory.Exists(_layout.WalDir)
        ? [.. Directory.EnumerateFiles(_layout.WalDir, "*.json").Where(p => !Path.GetFileName(p).StartsWith('.')).Order(StringComparer.Ordinal)]
        : [];

    /// <summary>
    /// Whether a crashed command left anything to roll back or remove: an entry in store/wal/,
    /// scratch in store/staging/ (two folder listings that stop at the first name), or a
    /// store/trash/ entry no live remover holds (one listing, usually empty). Under the shared or
    /// the exclusive lock no live command is writing the first two, so what is there is a dead one's.
    /// </summary>
    public bool NeedsRecovery() => HasEntries(_layout.WalDir) || HasEntries(_layout.StagingDir) || _trash.HasAbandoned();

    /// <summary>Under the exclusive lock: <see cref="Recover"/> when <see cref="NeedsRecovery"/>, else nothing. Returns how many entries were rolled back.</summary>
    public int RecoverIfNeeded() => NeedsRecovery() ? Recover() : 0;

    /// <summary>Rolls back every leftover entry, newest operation first. Returns how many were rolled back.</summary>
    public int Recover()
    {
        RemoveInterruptedWrites();
        var rolledBack = 0;
        var clean = true;
        foreach (var file in Pending().Reverse())
        {
            var entry = Read(file, out var problem);
            if (entry is null)
            {
                _warn($"write-ahead log entry {file} is corrupt ({problem}); removed it without rolling back");
                Remove(file);
                continue;
            }

            try
            {
                WalReplay.RollBack(_layout, entry);
                Remove(file);
                rolledBack++;
                _warn($"rolled back an interrupted {entry.Op}{(entry.EnvId is null ? "" : $" of {entry.EnvId[..Math.Min(12, entry.EnvId.Length)]}")} (started {entry.StartedAt:u} by pid {entry.Pid})");
            }
            catch (StoreException e)
            {
                clean = false;
                _warn($"{e.Message}; {file} is kept for the next command to retry");
            }
        }

        if (clean)
        {
            EmptyStaging();
        }

        // No WAL step ever names a trash entry (they are moved in after their entry is complete).
        _trash.RemoveAbandoned(PathRemoval.Remove);
        return rolledBack;
    }

    private static bool HasEntries(string dir)
    {
        if (FolderEntries.Any(dir) is { } any)
        {
            return any;
        }

        try
        {
            return Directory.EnumerateFileSystemEntries(dir).Any();
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }
    }

    private WalEntry? Read(string file, out string problem)
    {
        try
        {
            var entry = JsonSerializer.Deserialize(File.ReadAllBytes(file), StoreJsonContext.Default.WalEntry);
            if (entry is null)
            {
                problem = "empty";
                return null;
            }

            problem = WalReplay.Validate(_layout, entry) ?? "";
            return problem.Length == 0 ? entry : null;
        }
        catch (JsonException e)
        {
            problem = e.Message;
            return null;
        }
    }

    private void Remove(string file)
    {
        File.Delete(file);
        Interop.FSyncDirectory(_layout.WalDir);
    }

    /// <summary>
    /// Temp files of <see cref="AtomicFile"/> writes that a killed process never renamed into place
    /// (".&lt;name&gt;.&lt;guid&gt;.tmp"). Every writer of these folders holds the store lock, so under
    /// it they belong to a dead process; nothing reads them.
    /// </summary>
    private void RemoveInterruptedWrites()
    {
        foreach (var dir in new[] { _layout.WalDir, _layout.MetadataDir, _layout.LayersDir })
        {
            if (!Directory.Exists(dir))
            {
                continue;
            }

            foreach (var temp in Directory.EnumerateFiles(dir, ".*.tmp"))
            {
                try
                {
                    File.Delete(temp);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    _warn($"cannot remove {temp}, left by an interrupted write: {e.Message}");
                }
            }
        }
    }

    private void EmptyStaging()
    {
        if (!Directory.Exists(_layout.StagingDir))
        {
            return;
        }

        foreach (var leftover in Directory.EnumerateFileSystemEntries(_layout.StagingDir))
        {
            try
            {
                PathRemoval.Remove(leftover);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Files owned by subordinate ids cannot be removed by the host user; GC reports them.
            }
        }
    }
}
