using System.Globalization;
using Scute.Core.Interop;
using Scute.Store;

namespace Scute.Engine.Lifecycle;

/// <summary>
/// Which scute processes run commands in an environment: one file per exec/enter,
/// <c>&lt;run folder&gt;/&lt;env_id&gt;/&lt;pid&gt;</c> (see <see cref="RunRecordFolders"/>). Its first line
/// is the start time of that scute process (clock ticks since boot, /proc/pid/stat field 22), so a
/// reused pid is not mistaken for it; a second line, "&lt;pid&gt; &lt;start&gt;", names the backend's
/// child, which lives as long as the environment's processes. Written with plain writes: no
/// fsync, no rename. A record nobody can read (torn by a crash) or whose processes are gone is
/// stale. "Running" is derived from live records and never written into metadata.
/// </summary>
public static class RunRecords
{
    /// <param name="create">A writer: make the shared-memory folder when there is no runtime folder.</param>
    public static RunRecordFolders Folders(ScuteStore store, bool create = false)
    {
        ArgumentNullException.ThrowIfNull(store);
        return RunRecordFolders.For(store.Layout, Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR"), create: create);
    }

    /// <summary>
    /// Records this process as running a command in the environment; returns the file to pass to
    /// <see cref="Remove"/>. Called while the store lock (shared or exclusive) is held, so a command
    /// that waits for the exclusive lock sees the record once it has it.
    /// </summary>
    public static string Create(ScuteStore store, string envId)
    {
        var dir = RunRecordFolders.EnvDir(Folders(store, create: true).WriteRoot, envId);
        var pid = Environment.ProcessId;
        var path = Path.Combine(dir, pid.ToString(CultureInfo.InvariantCulture));
        var line = (ProcessSignals.StartTime(pid) ?? 0).ToString(CultureInfo.InvariantCulture) + "\n";
        for (var attempt = 1; ; attempt++)
        {
            // Plain syscalls: exec's path pays for no FileStream (its flock and buffers).
            // (It is there already while another exec of this environment runs.)
            if (Libc.mkdir(dir, 0b111_000_000) != 0 && Libc.Errno == Libc.ENOENT)
            {
                Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            if (WriteNew(path, line))
            {
                return path;
            }

            if (Libc.Errno != Libc.ENOENT || attempt >= 5)
            {
                throw new IOException($"cannot write the run record {path}: {Libc.Describe(Libc.Errno)}");
            }

            // Another exec of this environment ended and removed the then empty folder, without the lock.
        }
    }

    /// <summary>The ASCII line in one write(2); false (errno set) when it did not go whole.</summary>
    private static unsafe bool Write(int fd, string line)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(line);
        fixed (byte* p = bytes)
        {
            return Libc.write(fd, p, (nuint)bytes.Length) == bytes.Length;
        }
    }

    private static bool WriteNew(string path, string line)
    {
        var fd = Libc.open(path, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_TRUNC | Libc.O_CLOEXEC, 0b110_000_000);
        if (fd < 0)
        {
            return false;
        }

        try
        {
            return Write(fd, line) ? true : throw new IOException($"cannot write the run record {path}: {Libc.Describe(Libc.Errno)}");
        }
        finally
        {
            _ = Libc.close(fd);
        }
    }

    /// <summary>
    /// Adds the host process that lives exactly as long as the environment's processes (the
    /// backend's direct child): a scute killed with SIGKILL leaves a run whose processes may
    /// still be ending, and it counts as running until they are gone. Appended, never rewritten:
    /// the first line stays readable to a command checking the record meanwhile.
    /// </summary>
    public static void AddProcess(string record, int pid)
    {
        var child = ProcessSignals.StartTime(pid) ?? 0;
        // While the stage starts: one open and one write, no FileStream (as File.AppendAllText, it makes the file again if it is gone).
        var fd = Libc.open(record, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_APPEND | Libc.O_CLOEXEC, 0b110_110_110);
        if (fd < 0)
        {
            throw Failure(record, Libc.Errno);
        }

        try
        {
            if (!Write(fd, string.Create(CultureInfo.InvariantCulture, $"{pid} {child}\n")))
            {
                throw Failure(record, Libc.Errno);
            }
        }
        finally
        {
            _ = Libc.close(fd);
        }
    }

    private static Exception Failure(string path, int errno) => errno is EAcces or EPerm
        ? new UnauthorizedAccessException($"cannot write the run record {path}: {Libc.Describe(errno)}")
        : new IOException($"cannot write the run record {path}: {Libc.Describe(errno)}");

    private const int EPerm = 1;
    private const int EAcces = 13;

    /// <summary>At exit (no lock): removes the record, and its environment's folder when that was the last one.</summary>
    public static void Remove(string record)
    {
        _ = Libc.unlinkat(Libc.AT_FDCWD, record, 0);
        // Fails (ENOTEMPTY) while another exec's record is there: then it stays.
        _ = Libc.rmdir(Path.GetDirectoryName(record) ?? record);
    }

    /// <summary>Pids of the live scute processes running commands in the environment. Never writes.</summary>
    public static IReadOnlyList<int> Live(ScuteStore store, string envId) =>
        [.. Records(store, envId).Where(r => r.Live).Select(r => r.Pid)];

    public static bool AnyLive(ScuteStore store, string envId) => Records(store, envId).Any(r => r.Live);

    /// <summary>Under the exclusive store lock: deletes the records whose processes are gone.</summary>
    public static void RemoveStale(ScuteStore store, string envId)
    {
        foreach (var r in Records(store, envId).Where(r => !r.Live).ToList())
        {
            File.Delete(r.Path);
            TryRemoveFolder(Path.GetDirectoryName(r.Path));
        }
    }

    /// <summary>The env_ids with at least one record file (live or not): one folder listing per run folder, for list.</summary>
    public static IReadOnlySet<string> WithRecords(ScuteStore store)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var root in Folders(store).ReadRoots)
        {
            if (Directory.Exists(root))
            {
                found.UnionWith(Directory.EnumerateDirectories(root).Select(Path.GetFileName).OfType<string>());
            }
        }

        return found;
    }

    /// <summary>
    /// The state to show and to act on: built with a live record is running; running without one
    /// (written by a scute before run records, or left by a crash) is built. Frozen stays frozen
    /// while a read-only command runs in it, as before.
    /// </summary>
    public static EnvironmentMetadata Effective(EnvironmentMetadata env, bool live)
    {
        ArgumentNullException.ThrowIfNull(env);
        return Shown(env.State, live) is { } state ? env with { State = state } : env;
    }

    public static EnvironmentMetadata Effective(ScuteStore store, EnvironmentMetadata env)
    {
        ArgumentNullException.ThrowIfNull(env);
        return Effective(env, env.State is EnvState.Built or EnvState.Running && AnyLive(store, env.EnvId));
    }

    /// <summary>As <see cref="Effective(EnvironmentMetadata, bool)"/>, for what list shows.</summary>
    public static EnvironmentSummary Effective(EnvironmentSummary env, bool live)
    {
        ArgumentNullException.ThrowIfNull(env);
        return Shown(env.State, live) is { } state ? env with { State = state } : env;
    }

    public static EnvironmentSummary Effective(ScuteStore store, EnvironmentSummary env)
    {
        ArgumentNullException.ThrowIfNull(env);
        return Effective(env, env.State is EnvState.Built or EnvState.Running && AnyLive(store, env.EnvId));
    }

    // The state to show instead of the stored one, or null to keep it.
    private static EnvState? Shown(EnvState stored, bool live) => (stored, live) switch
    {
        (EnvState.Built, true) => EnvState.Running,
        (EnvState.Running, false) => EnvState.Built,
        _ => null,
    };

    /// <summary>What to write back for a metadata read as <see cref="Effective(EnvironmentMetadata, bool)"/>: running is never stored.</summary>
    public static EnvironmentMetadata ForStorage(EnvironmentMetadata env)
    {
        ArgumentNullException.ThrowIfNull(env);
        return env.State == EnvState.Running ? env with { State = EnvState.Built } : env;
    }

    private static IEnumerable<(string Path, int Pid, bool Live)> Records(ScuteStore store, string envId)
    {
        foreach (var root in Folders(store).ReadRoots)
        {
            var dir = RunRecordFolders.EnvDir(root, envId);
            if (!Directory.Exists(dir))
            {
                continue;
            }

            foreach (var path in Directory.EnumerateFiles(dir))
            {
                if (!int.TryParse(Path.GetFileName(path), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                {
                    continue;
                }

                string[] recorded;
                try
                {
                    recorded = File.ReadAllLines(path);
                }
                catch (FileNotFoundException)
                {
                    continue;
                }

                yield return (path, pid, IsLive(pid, recorded.FirstOrDefault()) || recorded.Skip(1).Any(IsLiveChild));
            }
        }
    }

    // A torn record (empty, or a partial number) matches no process's start time: stale.
    private static bool IsLive(int pid, string? recordedStart) =>
        long.TryParse(recordedStart?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var recorded)
        && recorded > 0
        && ProcessSignals.StartTime(pid) == recorded;

    /// <summary>"pid start" of the backend's child.</summary>
    private static bool IsLiveChild(string line)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var child)
            && IsLive(child, parts[1]);
    }

    private static void TryRemoveFolder(string? dir)
    {
        try
        {
            if (dir is not null)
            {
                Directory.Delete(dir);
            }
        }
        catch (IOException)
        {
            // Another record is still there (or one is being created): it stays.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
