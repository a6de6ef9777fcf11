using System.Diagnostics;
using System.Text.RegularExpressions;
using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>
/// Nothing durable on the exec path: the real binary, as scute-test, makes no fsync and no
/// rename, and a scute killed while its command runs leaves nothing that needs repair.
/// </summary>
[Trait("Category", "Integration")]
public sealed partial class ExecDurabilityTests
{
    private const string Dev = """
        manifest_version = 1

        [base]
        image = "builtin:busybox"

        [runtime]
        backend = "namespace"
        """;

    [SkippableFact]
    public void Exec_makes_no_fsync_and_no_rename()
    {
        Skip.IfNot(File.Exists("/usr/bin/strace"), "strace is not installed (scripts/test-packages.txt has it)");
        var s = Session();
        var trace = Path.Combine(s.Root, "trace");
        s.User.RunAs(["mkdir", "-p", trace]);

        var run = s.User.RunAs(
            ["strace", "-f", "-qq", "-o", Path.Combine(trace, "out"), "-e", "trace=fsync,fdatasync,rename,renameat,renameat2,clone,clone3,execve",
             ScuteBinary.Path, "exec", "dev", "--", "true"],
            s.Project, new Dictionary<string, string> { ["SCUTE_STORE"] = s.Store });
        Assert.True(run.ExitCode == 0, run.ToString());

        var lines = File.ReadAllLines(Path.Combine(trace, "out"));
        var scute = ScuteThreads(lines);
        var durable = lines.Where(l => DurableCall().IsMatch(l) && scute.Contains(Pid(l))).ToList();
        Assert.True(durable.Count == 0, "the exec process made durable writes:\n" + string.Join('\n', durable));
        // The filter is not empty by accident: the same trace of a build (which must sync) finds them.
        Assert.True(scute.Count > 1, "no thread of scute found in the trace:\n" + string.Join('\n', lines.Take(20)));
    }

    [SkippableFact]
    public void A_scute_killed_during_exec_leaves_a_built_environment_and_every_snapshot()
    {
        var s = Session();
        Ok(s.Scute("exec", "dev", "--", "sh", "-c", "echo one > /etc/one"));
        var first = Ok(s.Scute("commit", "dev", "-m", "first")).Stdout.Trim();
        var random = new Random(42);
        for (var round = 0; round < 6; round++)
        {
            using var exec = BackgroundScute.Start(s.User, s.Project, s.Store, ["exec", "dev", "--", "sh", "-c", "echo x > /etc/x; sleep 30"]);
            // At a random point: while it reads, writes its run record, starts the command, or while the command runs.
            Thread.Sleep(random.Next(0, 500));
            if (round % 2 == 0)
            {
                exec.KillTree();
            }
            else
            {
                // Only scute: its command dies with it (the liveness pipe), its record goes stale.
                KillScute(exec);
                exec.Wait(20_000);
            }

            WaitUntil(() => !Ok(s.Scute("--json", "list")).Stdout.Contains("\"running\"", StringComparison.Ordinal));
        }

        Assert.Contains("\"built\"", Ok(s.Scute("--json", "list")).Stdout, StringComparison.Ordinal);
        var second = Ok(s.Scute("commit", "dev", "-m", "after kills")).Stdout.Trim();
        var snapshots = Ok(s.Scute("--json", "snapshots", "dev")).Stdout;
        Assert.Contains(first, snapshots, StringComparison.Ordinal);
        Assert.Contains(second, snapshots, StringComparison.Ordinal);
        Ok(s.Scute("restore", "dev", first));
        Assert.Equal("one", Ok(s.Scute("exec", "dev", "--", "cat", "/etc/one")).Stdout.Trim());
        Ok(s.Scute("verify-store"));
        Ok(s.Scute("destroy", "dev"));
    }

    /// <summary>The traced scute process: the first pid, and every thread it (or one of its threads) made.</summary>
    private static HashSet<int> ScuteThreads(string[] lines)
    {
        var threads = new HashSet<int> { Pid(lines[0]) };
        var pending = new HashSet<int>();
        foreach (var line in lines)
        {
            var pid = Pid(line);
            if (!threads.Contains(pid))
            {
                continue;
            }

            var isThread = line.Contains("CLONE_THREAD", StringComparison.Ordinal);
            if (isThread && line.Contains("<unfinished", StringComparison.Ordinal))
            {
                pending.Add(pid);
                continue;
            }

            var resumed = line.Contains("<... clone", StringComparison.Ordinal) && pending.Remove(pid);
            if ((isThread || resumed) && Returned().Match(line) is { Success: true } m)
            {
                threads.Add(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return threads;
    }

    private static int Pid(string line) => int.Parse(line.AsSpan(0, line.IndexOf(' ', StringComparison.Ordinal)), System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\d+\s+(fsync|fdatasync|rename|renameat|renameat2)\(")]
    private static partial Regex DurableCall();

    [GeneratedRegex(@"\)\s+=\s+(\d+)\s*$")]
    private static partial Regex Returned();

    private static ScuteSession Session()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        s.Write("scute.toml", Dev);
        Ok(s.Scute("build", "--name", "dev"));
        return s;
    }

    private static ProcessResult Ok(ProcessResult r)
    {
        Assert.True(r.ExitCode == 0, r.ToString());
        return r;
    }

    /// <summary>SIGKILL to the scute process alone (not runuser and env before it, nor what it started).</summary>
    private static void KillScute(BackgroundScute exec)
    {
        foreach (var pid in BackgroundScute.Tree(exec.Pid))
        {
            string? exe;
            try
            {
                exe = new FileInfo($"/proc/{pid}/exe").LinkTarget;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            if (exe == ScuteBinary.Path && ParentExe(pid) != ScuteBinary.Path)
            {
                TestUser.Run("kill", ["-KILL", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                return;
            }
        }
    }

    private static string? ParentExe(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var parent = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1];
            return new FileInfo($"/proc/{parent}/exe").LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void WaitUntil(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "timed out waiting");
            Thread.Sleep(100);
        }
    }
}
