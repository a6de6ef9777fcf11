using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>
/// The user-namespace holder (issue 9): a strict exec maps its namespace through newuidmap and
/// newgidmap once and leaves a holder process in it; later execs join that namespace with setns,
/// see the same from inside, never join a namespace the record does not truly name, and the
/// holder ends with stop, destroy, or its linger time.
/// </summary>
[Trait("Category", "Integration")]
public sealed class UserNamespaceHolderTests
{
    private const string HolderName = "scute-userns";

    // The probe of the security work, plus the maps the command sees.
    private static readonly string Probe = InsideProbe.Script.Replace(
        "exit 42",
        "echo \"uid_map=$(tr -s ' \\n' '  ' < /proc/self/uid_map)\"\necho \"gid_map=$(tr -s ' \\n' '  ' < /proc/self/gid_map)\"\necho \"userns=$(readlink /proc/self/ns/user)\"\nexit 42",
        StringComparison.Ordinal);

    [SkippableFact]
    public void A_second_strict_exec_joins_the_holder_runs_no_newuidmap_and_sees_the_same_inside()
    {
        Skip.IfNot(File.Exists("/usr/bin/strace"), "strace is not installed (scripts/test-packages.txt)");
        var s = new ScuteSession(TestUser.WithSubIds);
        var env = s.Build(Manifests.Strict);

        var slow = Exec(s, env);
        var holder = LiveHolder(s, env);
        // Under ptrace newuidmap is not setuid and would fail: this exec can only succeed by joining.
        var trace = Path.Combine(s.Root, "execve.trace");
        var fast = InsideProbe.Parse(s.User.RunAs(
            ["strace", "-f", "-qq", "-e", "trace=execve", "-o", trace, ScuteBinary.Path, "exec", env, "--", "sh", "-c", Probe],
            s.Project,
            new Dictionary<string, string>(InsideProbe.CallerEnvironment) { ["SCUTE_STORE"] = s.Store }));

        InsideProbe.AssertStrict(slow);
        InsideProbe.AssertStrict(fast);
        Assert.Equal(slow.Enforcement, fast.Enforcement);
        Assert.Equal("0 1001 1 1 100000 65536", Normalized(slow["uid_map"]), StringComparer.Ordinal);
        var execs = File.ReadAllLines(trace).Where(l => l.Contains("execve(\"", StringComparison.Ordinal)).ToList();
        Assert.Contains(execs, l => l.Contains("__init", StringComparison.Ordinal));
        Assert.DoesNotContain(execs, l => l.Contains("newuidmap", StringComparison.Ordinal) || l.Contains("newgidmap", StringComparison.Ordinal));
        Assert.Equal(holder, LiveHolder(s, env));
        // Both ran in the namespace the holder keeps: the first made it, the second joined it.
        Assert.Equal(UserNamespace(holder.Pid), fast["userns"]);
    }

    [SkippableFact]
    public void A_record_naming_a_real_holder_with_a_forged_start_time_is_not_joined()
    {
        var a = new ScuteSession(TestUser.WithSubIds);
        var envA = a.Build(Manifests.Strict);
        Assert.Equal(InsideProbe.ExitStatus, Exec(a, envA).ExitCode);
        var holderA = LiveHolder(a, envA);
        var s = new ScuteSession(TestUser.WithSubIds);
        var env = s.Build(Manifests.Strict);
        // The same user, the same maps: only the start time tells this record is not the holder's.
        WriteRecord(s, env, holderA.Pid, holderA.Start + 1);

        var p = Exec(s, env);

        InsideProbe.AssertStrict(p);
        Assert.NotEqual(UserNamespace(holderA.Pid), p["userns"]);
        var holder = LiveHolder(s, env);
        Assert.NotEqual(holderA.Pid, holder.Pid);
        Assert.Equal(UserNamespace(holder.Pid), p["userns"]);
        Assert.True(BackgroundScute.Alive(holderA.Pid), "the holder the forged record named was touched");
    }

    [SkippableFact]
    public void A_record_naming_another_process_with_a_forged_start_time_is_not_joined()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        var env = s.Build(Manifests.Strict);
        var pid = StartAsUser(s, "sleep 60");
        WriteRecord(s, env, pid, StartTime(pid) + 1);

        var p = Exec(s, env);

        InsideProbe.AssertStrict(p);
        Assert.Equal("0 1001 1 1 100000 65536", Normalized(p["uid_map"]), StringComparer.Ordinal);
        var holder = LiveHolder(s, env);
        Assert.NotEqual(pid, holder.Pid);
        Assert.True(BackgroundScute.Alive(pid), "the process the forged record named was touched");
        _ = TestUser.Run("kill", [pid.ToString(CultureInfo.InvariantCulture)]);
    }

    [SkippableFact]
    public void A_record_naming_another_user_namespace_with_its_right_start_time_is_not_joined()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        var env = s.Build(Manifests.Strict);
        // The user's own namespace with another map (only the user's id, as root).
        var pid = StartAsUser(s, "unshare --user --map-root-user sleep 60");
        WriteRecord(s, env, pid, StartTime(pid));

        var p = Exec(s, env);

        InsideProbe.AssertStrict(p);
        Assert.Equal("0 1001 1 1 100000 65536", Normalized(p["uid_map"]), StringComparer.Ordinal);
        Assert.NotEqual(UserNamespace(pid), p["userns"]);
        var holder = LiveHolder(s, env);
        Assert.NotEqual(pid, holder.Pid);
        Assert.Equal(UserNamespace(holder.Pid), p["userns"]);
        _ = TestUser.Run("kill", [pid.ToString(CultureInfo.InvariantCulture)]);
    }

    [SkippableFact]
    public void Stop_and_destroy_end_the_holder_and_remove_its_record()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        var env = s.Build(Manifests.Strict);
        Assert.Equal(InsideProbe.ExitStatus, Exec(s, env).ExitCode);
        var first = LiveHolder(s, env);

        var stop = s.Scute("stop", env);

        Assert.True(stop.ExitCode == 0, stop.ToString());
        Assert.False(BackgroundScute.Alive(first.Pid), "the holder outlived stop");
        Assert.Null(Record(s, env));
        Assert.Equal(InsideProbe.ExitStatus, Exec(s, env).ExitCode);
        var second = LiveHolder(s, env);
        Assert.NotEqual(first, second);

        var id = EnvId(s, env);
        var destroy = s.Scute("destroy", env);

        Assert.True(destroy.ExitCode == 0, destroy.ToString());
        Assert.False(BackgroundScute.Alive(second.Pid), "the holder outlived destroy");
        Assert.False(File.Exists(Path.Combine(Folder(s), id)), "destroy left the holder record");
    }

    [SkippableFact]
    public void The_holder_ends_by_itself_after_its_linger_time()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        s.Environment["SCUTE_HOLDER_LINGER_SECONDS"] = "2";
        var env = s.Build(Manifests.Strict);
        Assert.Equal(InsideProbe.ExitStatus, Exec(s, env).ExitCode);
        var holder = LiveHolder(s, env);

        var clock = Stopwatch.StartNew();
        while (BackgroundScute.Alive(holder.Pid) && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            Thread.Sleep(100);
        }

        Assert.False(BackgroundScute.Alive(holder.Pid), "the holder did not end after its linger time");
        // A record naming a holder that is gone is stale: the next exec starts a new one.
        Assert.Equal(InsideProbe.ExitStatus, Exec(s, env).ExitCode);
        Assert.NotEqual(holder, LiveHolder(s, env));
    }

    [SkippableFact]
    public void The_holder_has_only_dev_null_open_no_capability_and_the_hosts_namespaces_but_the_user_one()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        var env = s.Build(Manifests.Strict);
        Assert.Equal(InsideProbe.ExitStatus, Exec(s, env).ExitCode);
        var pid = LiveHolder(s, env).Pid;

        var fds = Directory.GetFileSystemEntries($"/proc/{pid}/fd").Select(f => (Path.GetFileName(f), new FileInfo(f).LinkTarget)).Order().ToList();
        Assert.Equal([("0", "/dev/null"), ("1", "/dev/null"), ("2", "/dev/null")], fds);
        foreach (var ns in new[] { "mnt", "pid", "net", "ipc", "uts", "cgroup" })
        {
            Assert.Equal(new FileInfo($"/proc/self/ns/{ns}").LinkTarget, new FileInfo($"/proc/{pid}/ns/{ns}").LinkTarget);
        }

        Assert.NotEqual(new FileInfo("/proc/self/ns/user").LinkTarget, new FileInfo($"/proc/{pid}/ns/user").LinkTarget);
        var status = File.ReadAllLines($"/proc/{pid}/status").ToDictionary(l => l[..l.IndexOf(':', StringComparison.Ordinal)], l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim());
        Assert.Equal("0000000000000000", status["CapEff"]);
        Assert.Equal("0000000000000000", status["CapPrm"]);
        Assert.Equal("1", status["NoNewPrivs"]);
        Assert.Equal("/", new FileInfo($"/proc/{pid}/cwd").LinkTarget);
        // Its own session, no terminal: the caller's terminal signals never reach it.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        Assert.NotEqual(fields[3], File.ReadAllText("/proc/self/stat")[(File.ReadAllText("/proc/self/stat").LastIndexOf(')') + 2)..].Split(' ')[3]);
        Assert.Equal("0", fields[4]);
    }

    private static ProbeReport Exec(ScuteSession s, string env) => InsideProbe.Parse(s.User.RunAs(
        [ScuteBinary.Path, "exec", env, "--", "sh", "-c", Probe],
        s.Project,
        new Dictionary<string, string>(InsideProbe.CallerEnvironment, StringComparer.Ordinal)
            .Concat(s.Environment).Append(new("SCUTE_STORE", s.Store)).ToDictionary()));

    private static string? UserNamespace(int pid) => new FileInfo($"/proc/{pid}/ns/user").LinkTarget;

    private static string Normalized(string map) => string.Join(' ', map.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Starts the command line in the background as the user; its pid once it runs sleep (unshare execs it, same pid).</summary>
    private static int StartAsUser(ScuteSession s, string command)
    {
        var r = s.User.RunAs(["sh", "-c", command + " >/dev/null 2>&1 </dev/null & echo $!"]);
        var pid = int.Parse(r.Stdout.Trim(), CultureInfo.InvariantCulture);
        var clock = Stopwatch.StartNew();
        while (Comm(pid) != "sleep")
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"{command} never ran sleep");
            Thread.Sleep(20);
        }

        return pid;
    }

    private static string? Comm(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static long StartTime(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return long.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19], CultureInfo.InvariantCulture);
    }

    /// <summary>The folder of the store's holder records: beside its run folder on /dev/shm (no $XDG_RUNTIME_DIR in these runs).</summary>
    private static string Folder(ScuteSession s)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(s.Store))))[..16];
        return $"/dev/shm/scute-{s.User.Uid}/scute/{hash}/holders";
    }

    private static string EnvId(ScuteSession s, string env) =>
        System.Text.Json.Nodes.JsonNode.Parse(s.Scute("--json", "inspect", env).Stdout)!["env_id"]!.GetValue<string>();

    private static (int Pid, long Start)? Record(ScuteSession s, string env)
    {
        var path = Path.Combine(Folder(s), EnvId(s, env));
        if (!File.Exists(path))
        {
            return null;
        }

        var parts = File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    /// <summary>The environment's holder: its record names a live process of that name and that start time.</summary>
    private static (int Pid, long Start) LiveHolder(ScuteSession s, string env)
    {
        var record = Record(s, env) ?? throw new InvalidOperationException("no holder record");
        Assert.True(BackgroundScute.Alive(record.Pid), $"the holder {record.Pid} is not alive");
        Assert.Equal(HolderName, Comm(record.Pid));
        Assert.Equal(record.Start, StartTime(record.Pid));
        return record;
    }

    private static void WriteRecord(ScuteSession s, string env, int pid, long start)
    {
        var path = Path.Combine(Folder(s), EnvId(s, env));
        var r = s.User.RunAs(["sh", "-c", "mkdir -p \"$(dirname \"$1\")\" && printf '%s\\n' \"$2\" > \"$1\"", "sh", path, $"{pid} {start}"]);
        Assert.True(r.ExitCode == 0, r.ToString());
    }
}
