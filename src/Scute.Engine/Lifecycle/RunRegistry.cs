using System.Globalization;
using Scute.Store;

namespace Scute.Engine.Lifecycle;

/// <summary>
/// Which scute processes run commands in an environment: env/&lt;id&gt;/run/&lt;pid&gt; holds the
/// start time of the scute exec/enter process with that pid (so a reused pid is not mistaken for
/// it). A crashed scute leaves its file behind; a file whose process is gone is stale, and an
/// environment marked running with no live file is repaired to built.
/// </summary>
public static class RunRegistry
{
    public static string RunDir(ScuteStore store, string envId) => Path.Combine(store.Layout.EnvDir(envId), "run");

    /// <summary>Records this process as running a command in the environment; returns the file to pass to <see cref="Unregister"/>.</summary>
    public static string Register(ScuteStore store, string envId)
    {
        ArgumentNullException.ThrowIfNull(store);
        var pid = Environment.ProcessId;
        var dir = RunDir(store, envId);
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, pid.ToString(CultureInfo.InvariantCulture));
        var start = ProcessSignals.StartTime(pid) ?? 0;
        AtomicFile.WriteAllText(path, start.ToString(CultureInfo.InvariantCulture) + "\n");
        return path;
    }

    /// <summary>
    /// Adds the host process that lives exactly as long as the environment's processes (the
    /// backend's direct child): a scute killed with SIGKILL leaves a run whose processes may
    /// still be ending, and it counts as running until they are gone.
    /// </summary>
    public static void RecordProcess(string runFile, int pid)
    {
        var start = ProcessSignals.StartTime(Environment.ProcessId) ?? 0;
        var child = ProcessSignals.StartTime(pid) ?? 0;
        AtomicFile.WriteAllText(runFile, Invariant($"{start}\n{pid} {child}\n"));
    }

    public static void Unregister(string runFile) => File.Delete(runFile);

    /// <summary>Pids of the live scute processes running commands in the environment. Never writes.</summary>
    public static IReadOnlyList<int> Live(ScuteStore store, string envId) =>
        [.. Files(store, envId).Where(f => f.Live).Select(f => f.Pid)];

    /// <summary>
    /// Under the store lock: removes stale run files and, if the environment is marked running
    /// with no live process, records it as built again. Returns the current metadata.
    /// </summary>
    public static EnvironmentMetadata Repair(ScuteStore store, EnvironmentMetadata env, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(env);
        var anyLive = false;
        foreach (var f in Files(store, env.EnvId))
        {
            if (f.Live)
            {
                anyLive = true;
            }
            else
            {
                File.Delete(f.Path);
            }
        }

        if (env.State != EnvState.Running || anyLive)
        {
            return env;
        }

        StateMachine.Require(env, EnvState.Built, "record it as stopped");
        var repaired = env with { State = EnvState.Built, UpdatedAt = (clock ?? TimeProvider.System).GetUtcNow() };
        store.Metadata.Put(repaired);
        return repaired;
    }

    /// <summary>What list and inspect show without the lock: running only while a process lives.</summary>
    public static EnvironmentMetadata Effective(ScuteStore store, EnvironmentMetadata env)
    {
        ArgumentNullException.ThrowIfNull(env);
        return env.State == EnvState.Running && Live(store, env.EnvId).Count == 0 ? env with { State = EnvState.Built } : env;
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static IEnumerable<(string Path, int Pid, bool Live)> Files(ScuteStore store, string envId)
    {
        var dir = RunDir(store, envId);
        if (!Directory.Exists(dir))
        {
            yield break;
        }

        foreach (var path in Directory.EnumerateFiles(dir))
        {
            if (!int.TryParse(Path.GetFileName(path), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue; // temp files of an interrupted write
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

            yield return (path, pid, IsLive(pid, recorded.FirstOrDefault()) || (recorded.Length > 1 && IsLiveChild(recorded[1])));
        }
    }

    private static bool IsLive(int pid, string? recordedStart) =>
        ProcessSignals.StartTime(pid) is { } s && s.ToString(CultureInfo.InvariantCulture) == recordedStart?.Trim();

    /// <summary>"pid start" of the backend's child.</summary>
    private static bool IsLiveChild(string line)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var child)
            && IsLive(child, parts[1]);
    }
}
