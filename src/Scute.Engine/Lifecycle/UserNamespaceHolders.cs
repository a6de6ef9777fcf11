using System.Globalization;
using Scute.Core.Interop;
using Scute.Store;

namespace Scute.Engine.Lifecycle;

/// <summary>
/// The records of the user-namespace holders (see nsstage.c and docs/storage-format.md): one file
/// per environment, <c>&lt;run base&gt;/holders/&lt;env_id&gt;</c>, beside the run folder and never
/// read as a run record, holding "pid starttime" of a process that keeps the environment's user
/// namespace for the next strict exec. Only on a tmpfs run folder: in the store's own folder a
/// join's touch would be a write to the store's disk on every exec.
/// </summary>
public static class UserNamespaceHolders
{
    private static readonly TimeSpan GoneWait = TimeSpan.FromSeconds(2);

    /// <summary>The holder record beside this exec's run record (from <see cref="RunRecords.Create"/>), or null for none.</summary>
    public static string? RecordBeside(ScuteStore store, string runRecord, string envId)
    {
        ArgumentNullException.ThrowIfNull(store);
        // <root>/<env_id>/<pid>: the root is two levels up, which saves resolving the folders again.
        var root = Path.GetDirectoryName(Path.GetDirectoryName(runRecord));
        return root is null || root == store.Layout.RunDir ? null : RunRecordFolders.HolderRecord(root, envId);
    }

    /// <summary>
    /// stop, destroy, rebuild: ends the environment's holder, if one lives, and removes its record,
    /// in every folder an exec may have written it. Called once no command of the environment runs,
    /// so no stage is starting a new one.
    /// </summary>
    public static void End(ScuteStore store, string envId)
    {
        foreach (var root in RunRecords.Folders(store).ReadRoots.Where(r => r != store.Layout.RunDir))
        {
            var record = RunRecordFolders.HolderRecord(root, envId);
            if (Read(record) is var (pid, start))
            {
                Kill(pid, start);
            }

            _ = Libc.unlinkat(Libc.AT_FDCWD, record, 0);
        }
    }

    /// <summary>"pid starttime", or null when the record is missing or torn.</summary>
    private static (int Pid, long Start)? Read(string record)
    {
        string text;
        try
        {
            text = File.ReadAllText(record);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var start) && start > 0
            ? (pid, start)
            : null;
    }

    /// <summary>
    /// SIGKILL through a pidfd opened before the start time is checked: the signal reaches the
    /// holder the record names, never a later process with its pid (a reboot's stale record).
    /// </summary>
    private static void Kill(int pid, long start)
    {
        var fd = Libc.pidfd_open(pid, 0);
        if (fd < 0)
        {
            return;
        }

        try
        {
            if (ProcessSignals.StartTime(pid) != start || Libc.pidfd_send_signal(fd, ProcessSignals.SigKill, 0, 0) != 0)
            {
                return;
            }
        }
        finally
        {
            _ = Libc.close(fd);
        }

        // Gone (or a zombie, which holds nothing) before stop or destroy says it is done.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (ProcessSignals.StartTime(pid) == start && clock.Elapsed < GoneWait)
        {
            Thread.Sleep(5);
        }
    }
}
