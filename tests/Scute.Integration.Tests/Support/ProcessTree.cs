using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Scute.Integration.Tests.Support;

/// <summary>
/// A scute command started in the background, in a session of its own (setsid), as the test user,
/// so it can be killed at any instant together with every process it started (runuser, scute,
/// unshare, the init stages, the command inside).
/// </summary>
public sealed partial class BackgroundScute : IDisposable
{
    private const int SigKill = 9;
    private const int SigStop = 19;
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    private BackgroundScute(Process process)
    {
        _process = process;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Close();
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <c>scute args</c> as the user, in folder, with SCUTE_STORE=store.</summary>
    public static BackgroundScute Start(TestUser user, string folder, string store, IReadOnlyList<string> args) => Start(user, folder, store, args, null);

    /// <summary>As <see cref="Start(TestUser, string, string, IReadOnlyList{string})"/>, with more environment variables.</summary>
    public static BackgroundScute Start(TestUser user, string folder, string store, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? env)
    {
        ArgumentNullException.ThrowIfNull(user);
        var argv = new List<string> { "setsid" };
        argv.AddRange(user.Prefix(new Dictionary<string, string>(env ?? new Dictionary<string, string>()) { ["SCUTE_STORE"] = store }));
        argv.Add(ScuteBinary.Path);
        argv.AddRange(args);
        return new BackgroundScute(TestUser.StartRedirected(argv, folder));
    }

    /// <summary>Waits for the command to end by itself.</summary>
    public ProcessResult Wait(int timeoutMs = 120_000)
    {
        if (!_process.WaitForExit(timeoutMs))
        {
            KillTree();
            throw new TimeoutException($"scute (pid {Pid}) did not finish in {timeoutMs} ms");
        }

        _process.WaitForExit();
        return new ProcessResult(_process.ExitCode, _stdout.Result, _stderr.Result);
    }

    /// <summary>
    /// SIGKILLs the whole tree at once: first SIGSTOPs every process of the session and every
    /// descendant of the root (repeating until no new one appears, so none can fork away), then
    /// SIGKILLs them all and waits until they are gone. Returns what the command printed; its exit
    /// code is 137 when the kill landed, its own code when it had finished already.
    /// </summary>
    public ProcessResult KillTree()
    {
        var stopped = new HashSet<int>();
        for (var round = 0; round < 100; round++)
        {
            var fresh = Tree(Pid).Where(stopped.Add).ToList();
            if (fresh.Count == 0)
            {
                break;
            }

            foreach (var pid in fresh)
            {
                _ = Kill(pid, SigStop);
            }
        }

        foreach (var pid in stopped)
        {
            _ = Kill(pid, SigKill);
        }

        _process.WaitForExit();
        var clock = Stopwatch.StartNew();
        while (stopped.Any(Alive))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new InvalidOperationException($"processes {string.Join(' ', stopped.Where(Alive))} survived SIGKILL");
            }

            Thread.Sleep(5);
        }

        return new ProcessResult(_process.ExitCode, _stdout.Result, _stderr.Result);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            KillTree();
        }

        _process.Dispose();
    }

    /// <summary>The root, its descendants, and every process in its session (the root called setsid).</summary>
    public static IReadOnlyList<int> Tree(int root)
    {
        var all = ReadProcesses();
        var result = new List<int>();
        var seen = new HashSet<int>();
        var queue = new Queue<int>();
        queue.Enqueue(root);
        foreach (var p in all.Where(p => p.Session == root))
        {
            queue.Enqueue(p.Pid);
        }

        while (queue.TryDequeue(out var pid))
        {
            if (!seen.Add(pid) || !all.Any(p => p.Pid == pid))
            {
                continue;
            }

            result.Add(pid);
            foreach (var child in all.Where(p => p.Parent == pid))
            {
                queue.Enqueue(child.Pid);
            }
        }

        return result;
    }

    private static List<(int Pid, int Parent, int Session, char State)> ReadProcesses()
    {
        var list = new List<(int, int, int, char)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(dir);
            if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            if (Stat(pid) is { } s)
            {
                list.Add((pid, s.Parent, s.Session, s.State));
            }
        }

        return list;
    }

    // /proc/<pid>/stat: "pid (comm) state ppid pgrp session ..."; comm may hold spaces and parentheses.
    private static (int Parent, int Session, char State)? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return (int.Parse(fields[1], CultureInfo.InvariantCulture), int.Parse(fields[3], CultureInfo.InvariantCulture), fields[0][0]);
    }

    public static bool Alive(int pid) => Stat(pid) is { State: not 'Z' and not 'X' };

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
