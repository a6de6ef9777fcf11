using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Scute.Integration.Tests.Support;

/// <summary>
/// One kind of operation the crash harness kills. <see cref="Prepare"/> brings the world into the
/// state the operation needs (never killed); <see cref="Args"/> is the command line that is killed;
/// <see cref="Record"/> does the bookkeeping of what the command printed (no commands run);
/// <see cref="Verify"/> runs the operation's own checks after the store invariants held.
/// <see cref="Command"/> names a subcommand the binary must have (probed with --help), for
/// operations still being built.
/// </summary>
public sealed record CrashOp(
    string Name,
    Action<CrashWorld> Prepare,
    Func<CrashWorld, string[]> Args,
    Action<CrashWorld, ProcessResult, bool> Record,
    Action<CrashWorld, ProcessResult, bool> Verify,
    string? Command = null)
{
    private static readonly Action<CrashWorld, ProcessResult, bool> Nothing = (_, _, _) => { };

    /// <summary>The crash matrix. Adding an operation is one line.</summary>
    public static readonly IReadOnlyList<CrashOp> All =
    [
        new("build", w => w.PrepareBuild(), w => ["build", "b.toml", "--name", "b"], Nothing, (w, r, killed) => w.VerifyBuild(r, killed)),
        new("commit", w => w.PrepareCommit(), _ => ["commit", "dev"], (w, r, _) => w.RecordCommit(r), Nothing),
        new("restore", w => w.PrepareRestore(), w => ["restore", "dev", w.RestoreTarget!], Nothing, (w, r, _) => w.VerifyRestore(r)),
        new("rebuild", w => w.PrepareRebuild(), _ => ["rebuild", "r.toml"], Nothing, (w, r, _) => w.VerifyRebuild(r)),
        new("destroy", w => w.PrepareDestroy(), _ => ["destroy", "d"], Nothing, (w, r, _) => w.VerifyDestroy(r)),
        new("gc", w => w.PrepareGc(), _ => ["gc"], Nothing, Nothing, Command: "gc"),
        new("exec", _ => { }, _ => ["exec", "dev", "--", "sh", "-c", "echo x > /etc/exec-probe; sleep 0.1"], Nothing, (w, _, _) => w.VerifyExec()),
    ];

    public static CrashOp Named(string name) => All.Single(o => o.Name == name);

    /// <summary>Whether the binary under test has this operation's subcommand.</summary>
    public bool Available => Command is null || ScuteHasCommand(Command);

    // "scute nosuch --help" also exits 0: it prints the root help. The command's own help has "Usage: scute <command>".
    public static bool ScuteHasCommand(string command) =>
        TestUser.Run(ScuteBinary.Path, [command, "--help"], timeoutMs: 30_000) is { ExitCode: 0 } r
        && r.Stdout.Contains($"scute {command}", StringComparison.Ordinal);

    public override string ToString() => Name;
}

/// <summary>What one series of kills did.</summary>
public sealed record CrashSummary(string Op, int Seed, int Kills, int CompletedFirst, int Dirty, int Rollbacks, double TypicalMs, TimeSpan Elapsed)
{
    public override string ToString() =>
        $"crash {Op}: {Kills} kills landed, {CompletedFirst} runs finished before the kill; {Dirty} kills left a WAL entry, staging or temp files behind, " +
        $"{Rollbacks} recoveries rolled back an operation; " +
        $"typical run {TypicalMs:0} ms; {Elapsed.TotalSeconds:0.0} s; seed {Seed}";
}

/// <summary>
/// The crash harness. For one operation: builds a small world (a store with a dev environment
/// "dev" holding a few files and a snapshot), measures how long the operation takes, then
/// repeatedly prepares it, starts it, SIGKILLs its whole process tree at a random instant between
/// 0 (one kill in four; else the start-up time of "scute --version") and that duration, and checks the store (<see cref="CrashWorld.CheckInvariants"/>).
/// Seeded: CRASH_SEED reproduces a run; CRASH_KILLS is the total over all operations (default 200).
/// </summary>
public static class CrashHarness
{
    public const int DefaultTotalKills = 200;

    public static int TotalKills =>
        int.TryParse(Environment.GetEnvironmentVariable("CRASH_KILLS"), CultureInfo.InvariantCulture, out var n) && n > 0 ? n : DefaultTotalKills;

    public static int BaseSeed =>
        int.TryParse(Environment.GetEnvironmentVariable("CRASH_SEED"), CultureInfo.InvariantCulture, out var s) ? s : Environment.TickCount & 0x7fffffff;

    /// <summary>CRASH_OPS (comma-separated names) limits the run to those operations; unset, all of them.</summary>
    public static bool Selected(CrashOp op) =>
        Environment.GetEnvironmentVariable("CRASH_OPS") is not { Length: > 0 } only
        || only.Split(',', StringSplitOptions.TrimEntries).Contains(op?.Name);

    /// <summary>Kills for each operation so that the selected operations available on this binary share the total.</summary>
    public static int KillsPerOp()
    {
        var available = Math.Max(1, CrashOp.All.Count(o => Selected(o) && o.Available));
        return (TotalKills + available - 1) / available;
    }

    public static CrashSummary Run(CrashOp op, int kills, int seed, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(log);
        var clock = Stopwatch.StartNew();
        log($"crash {op.Name}: seed {seed} (rerun with CRASH_SEED={seed}), {kills} kills");
        var world = new CrashWorld(new ScuteSession(TestUser.WithSubIds), new Random(seed), log);
        world.Setup();

        // Typical duration: the median of three undisturbed runs.
        var durations = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            world.Trial = $"{op.Name} measure {i + 1}";
            op.Prepare(world);
            var watch = Stopwatch.StartNew();
            using var bg = BackgroundScute.Start(world.Session.User, world.Session.Project, world.Store, op.Args(world));
            var r = bg.Wait();
            durations.Add(watch.Elapsed.TotalMilliseconds);
            Assert.True(r.ExitCode == 0, $"{op.Name} without a kill failed: {r}");
            op.Record(world, r, false);
            world.CheckInvariants(r);
            op.Verify(world, r, false);
        }

        var typical = durations.Order().ElementAt(1);

        // Start-up (setsid, runuser, the runtime) takes a good part of a short run and touches nothing:
        // one kill in four is anywhere in [0, typical], the others after the start-up of a bare "scute --version".
        var startup = Enumerable.Range(0, 3).Select(_ =>
        {
            var watch = Stopwatch.StartNew();
            using var bg = BackgroundScute.Start(world.Session.User, world.Session.Project, world.Store, ["--version"]);
            bg.Wait();
            return watch.Elapsed.TotalMilliseconds;
        }).Order().ElementAt(1);
        startup = Math.Min(startup, typical * 0.75);
        log($"crash {op.Name}: typical run {typical:0.0} ms ({string.Join(", ", durations.Select(d => d.ToString("0", CultureInfo.InvariantCulture)))}), start-up {startup:0.0} ms");
        var landed = 0;
        var completed = 0;
        var rollbacks = 0;
        var dirty = 0;
        for (var trial = 1; landed < kills; trial++)
        {
            Assert.True(trial <= kills * 3, $"only {landed} of {trial - 1} kills landed before {op.Name} finished; the kill window is too short");
            op.Prepare(world);
            var from = world.Rng.Next(4) == 0 ? 0 : startup;
            var delay = from + (world.Rng.NextDouble() * (typical - from));
            world.Trial = $"{op.Name} trial {trial}, kill after {delay:0.0} ms, seed {seed}";
            ProcessResult result;
            var watch = Stopwatch.StartNew();
            using (var bg = BackgroundScute.Start(world.Session.User, world.Session.Project, world.Store, op.Args(world)))
            {
                SleepUntil(watch, delay);
                result = bg.KillTree();
            }

            var killed = result.ExitCode == 137;
            if (killed)
            {
                landed++;
            }
            else
            {
                completed++;
                Assert.True(result.ExitCode == 0, $"{world.Trial}: {op.Name} finished before the kill but failed: {result}");
                // It ran faster than the measured typical run (a busy machine made the measure slow):
                // aim the window at what this run showed, so kills keep landing during the work.
                typical = Math.Max(delay, startup + 1);
                startup = Math.Min(startup, typical * 0.75);
            }

            op.Record(world, result, killed);
            dirty += killed && world.LeftWorkBehind() ? 1 : 0;
            rollbacks += world.CheckInvariants(result);
            op.Verify(world, result, killed);
            world.AfterTrial();
        }

        world.FinalCheck();
        var summary = new CrashSummary(op.Name, seed, landed, completed, dirty, rollbacks, typical, clock.Elapsed);
        log(summary.ToString());
        return summary;
    }

    private static void SleepUntil(Stopwatch watch, double ms)
    {
        var whole = (int)ms - 1;
        if (whole > 0)
        {
            Thread.Sleep(whole);
        }

        while (watch.Elapsed.TotalMilliseconds < ms)
        {
            Thread.SpinWait(50);
        }
    }
}

/// <summary>
/// The store a series of kills works on, what was reported to the user so far, and the checks.
/// Environments: "dev" (scute.toml) with files and snapshots; "b" (b.toml, built and destroyed by
/// the build series); "r" (r.toml, rebuilt); "d" (d.toml, destroyed); "g" (g.toml, garbage for gc).
/// Each manifest differs in resource limits so each has its own identity.
/// </summary>
public sealed partial class CrashWorld(ScuteSession session, Random rng, Action<string> log)
{
    private const string Dev = """
        manifest_version = 1

        [base]
        image = "builtin:busybox"

        [runtime]
        backend = "namespace"
        """;

    private readonly Dictionary<string, string> _markers = [];
    private readonly HashSet<string> _mayVanish = [];
    private int _counter;
    private string? _restorePrevious;
    private bool _rebuildIsolated;

    public ScuteSession Session { get; } = session;

    public Random Rng { get; } = rng;

    /// <summary>The store the next command works on: the main one, or a fresh one for a first build.</summary>
    public string Store { get; private set; } = session.Store;

    /// <summary>Snapshots whose digest scute printed, by environment name: they must never be lost.</summary>
    public Dictionary<string, List<string>> Reported { get; } = [];

    public string Trial { get; set; } = "setup";

    public string? RestoreTarget { get; private set; }

    public void Setup()
    {
        Session.Write("scute.toml", Dev);
        Session.Write("b.toml", Limits(128));
        Session.Write("d.toml", Limits(256));
        Session.Write("g.toml", Limits(64));
        Session.Write("r.toml", Limits(512));
        Ok("build", "--name", "dev");
        Commit("dev");
    }

    // ----- build: into the main store after destroying "b", or (one in three) a first build into an empty store.

    public void PrepareBuild()
    {
        Store = Session.Store;
        if (Rng.Next(3) == 0)
        {
            Store = Path.Combine(Session.Root, "fresh-" + (++_counter).ToString(CultureInfo.InvariantCulture));
            return;
        }

        if (Exists("b"))
        {
            Ok("destroy", "b");
        }
    }

    public void VerifyBuild(ProcessResult result, bool killed)
    {
        if (!killed || Exists("b") || Store != Session.Store)
        {
            // The next build finishes (a half-filled image cache would break it) and the environment runs.
            Ok("build", "b.toml", "--name", "b");
            Ok("exec", "b", "--", "true");
        }

        if (Store != Session.Store)
        {
            CheckInvariants(result);
            TreeRemoval(Store);
            Store = Session.Store;
        }
    }

    // ----- commit: new files and a new marker in "dev", then commit.

    public void PrepareCommit() => WriteFiles("dev", NextMarker());

    public void RecordCommit(ProcessResult result)
    {
        var digest = Printed(result);
        if (digest is not null)
        {
            Track("dev", digest, _lastMarker!);
        }
    }

    // ----- restore: "dev" changed after its snapshots; restore one of them.

    public void PrepareRestore()
    {
        var snapshots = Reported["dev"];
        if (snapshots.Count < 3)
        {
            Commit("dev");
        }

        _restorePrevious = NextMarker();
        WriteFiles("dev", _restorePrevious);
        RestoreTarget = snapshots[Rng.Next(snapshots.Count)];
    }

    public void VerifyRestore(ProcessResult result)
    {
        var marker = Ok("exec", "dev", "--", "cat", "/marker").Stdout.Trim();
        var target = _markers[RestoreTarget!];
        if (result.ExitCode == 0)
        {
            Assert.True(marker == target, $"{Trial}: restore reported success but /marker is '{marker}', not '{target}'");
        }
        else
        {
            Assert.True(marker == target || marker == _restorePrevious, $"{Trial}: after a killed restore /marker is '{marker}': neither the previous state '{_restorePrevious}' nor the snapshot's '{target}'");
        }
    }

    // ----- rebuild: "r" with network isolation flipped (a new identity), sometimes with a new snapshot first.

    public void PrepareRebuild()
    {
        if (!Exists("r"))
        {
            Ok("build", "r.toml", "--name", "r");
            Commit("r");
        }
        else if (Rng.Next(3) == 0)
        {
            Commit("r");
        }

        _rebuildIsolated = !_rebuildIsolated;
        Session.Write("r.toml", Limits(512, _rebuildIsolated));
    }

    public void VerifyRebuild(ProcessResult result)
    {
        _ = result;
        var named = ListEnvironments().Count(e => e["name"]?.GetValue<string>() == "r");
        Assert.True(named == 1, $"{Trial}: {named} environments named r after rebuild");
        Ok("exec", "r", "--", "true");
    }

    // ----- destroy: "d" with a snapshot, built again whenever it is gone.

    public void PrepareDestroy()
    {
        if (!Exists("d"))
        {
            Ok("build", "d.toml", "--name", "d");
            Commit("d");
        }

        _mayVanish.Add("d");
    }

    public void VerifyDestroy(ProcessResult result)
    {
        var exists = Exists("d");
        Assert.False(result.ExitCode == 0 && exists, $"{Trial}: destroy reported success but d is still listed");
        if (exists)
        {
            Ok("exec", "d", "--", "true");
        }
    }

    // ----- exec: a killed exec leaves no running state behind, and the environment can be committed.

    public void VerifyExec()
    {
        var inspect = Ok("--json", "inspect", "dev");
        var state = JsonNode.Parse(inspect.Stdout)!["state"]!.GetValue<string>();
        Assert.True(state == "built", $"{Trial}: dev is {state} after its exec was killed with every process it started");
        RecordCommit(Ok("commit", "dev"));
    }

    // ----- gc: garbage from a destroyed environment with a snapshot, and sometimes a new snapshot of "dev".

    public void PrepareGc()
    {
        Ok("build", "g.toml", "--name", "g");
        WriteFiles("g", NextMarker());
        Ok("commit", "g");
        Ok("destroy", "g");
        if (Rng.Next(2) == 0)
        {
            Commit("dev");
        }
    }

    public void AfterTrial() => _mayVanish.Clear();

    /// <summary>Before recovery: whether the killed command left a WAL entry, staging entries or temp files.</summary>
    public bool LeftWorkBehind()
    {
        var layout = Path.Combine(Store, "store");
        return Entries(Path.Combine(layout, "wal")).Count > 0
            || Entries(Path.Combine(layout, "staging")).Count > 0
            || new[] { "metadata", "layers" }.Any(d => Entries(Path.Combine(layout, d)).Any(n => n.StartsWith('.')));
    }

    /// <summary>End of a series: the snapshots still restore, with the content they were committed with.</summary>
    public void FinalCheck()
    {
        foreach (var digest in Reported["dev"].OrderBy(_ => Rng.Next()).Take(3))
        {
            Ok("restore", "dev", digest);
            Assert.Equal(_markers[digest], Ok("exec", "dev", "--", "cat", "/marker").Stdout.Trim());
        }
    }

    /// <summary>
    /// The store invariants after a kill, checked by the next commands:
    /// verify-store exits 0 (it takes the lock, so it also recovers); list works; store/wal and
    /// store/staging are empty; env/&lt;id&gt; exists iff store/metadata/&lt;id&gt; does, and those are
    /// what list shows; no temp file of an interrupted write is left in store/metadata, store/layers
    /// or store/objects; every reported snapshot is listed by snapshots and its layer description
    /// and tar are in the store (verify-store re-hashed them). Returns 1 when recovery rolled back.
    /// </summary>
    public int CheckInvariants(ProcessResult killedRun)
    {
        var context = $"{Trial}\n--- the killed command: {killedRun}";
        var layout = Path.Combine(Store, "store");
        if (Store != Session.Store && !File.Exists(Path.Combine(layout, "version")))
        {
            // Killed before the first build created the store: nothing was recorded.
            Assert.True(Entries(Path.Combine(Store, "env")).Count == 0, $"{context}\n--- env folders in a store without store/version");
            return 0;
        }

        var verify = Scute("verify-store");
        Assert.True(verify.ExitCode == 0, $"{context}\n--- verify-store: {verify}");
        var rolledBack = verify.Stderr.Contains("rolled back an interrupted", StringComparison.Ordinal) ? 1 : 0;
        if (rolledBack > 0)
        {
            Log($"{Trial}: {verify.Stderr.Trim().ReplaceLineEndings(" | ")}");
        }

        var ids = ListEnvironments().Select(e => e["env_id"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
        Assert.True(Entries(Path.Combine(layout, "wal")).Count == 0, $"{context}\n--- store/wal after recovery: {string.Join(' ', Entries(Path.Combine(layout, "wal")))}");
        Assert.True(Entries(Path.Combine(layout, "staging")).Count == 0, $"{context}\n--- store/staging after recovery: {string.Join(' ', Entries(Path.Combine(layout, "staging")))}");
        var envDirs = Entries(Path.Combine(Store, "env"));
        var metadata = Entries(Path.Combine(layout, "metadata")).Where(n => !n.StartsWith('.')).ToList();
        Assert.True(envDirs.SequenceEqual(metadata), $"{context}\n--- env/ holds [{string.Join(' ', envDirs)}], store/metadata/ holds [{string.Join(' ', metadata)}]");
        Assert.True(ids.SequenceEqual(metadata), $"{context}\n--- list shows [{string.Join(' ', ids)}], store/metadata/ holds [{string.Join(' ', metadata)}]");
        var temps = new[] { "metadata", "layers", "objects" }
            .SelectMany(d => Entries(Path.Combine(layout, d)).Where(n => n.StartsWith('.')).Select(n => $"{d}/{n}")).ToList();
        Assert.True(temps.Count == 0, $"{context}\n--- temp files of interrupted writes left after recovery: {string.Join(' ', temps)}");

        if (Store == Session.Store)
        {
            CheckReported(context);
        }

        return rolledBack;
    }

    private void CheckReported(string context)
    {
        foreach (var (env, digests) in Reported.ToList())
        {
            var listed = Scute("--json", "snapshots", env);
            if (listed.ExitCode != 0 && _mayVanish.Contains(env) && !Exists(env))
            {
                Reported.Remove(env); // destroyed, as asked
                continue;
            }

            Assert.True(listed.ExitCode == 0, $"{context}\n--- snapshots {env}: {listed}");
            var snapshots = JsonNode.Parse(listed.Stdout)!.AsArray();
            foreach (var digest in digests)
            {
                var entry = snapshots.FirstOrDefault(s => s!["digest"]!.GetValue<string>() == digest);
                Assert.True(entry is not null, $"{context}\n--- snapshot {digest} of {env}, reported by commit, is not listed: {listed.Stdout}");
                var tar = entry!["tar_digest"]!.GetValue<string>();
                Assert.True(File.Exists(Path.Combine(Store, "store", "layers", digest[7..])), $"{context}\n--- layer of snapshot {digest} is missing");
                Assert.True(File.Exists(Path.Combine(Store, "store", "objects", tar[7..])), $"{context}\n--- tar {tar} of snapshot {digest} is missing");
            }
        }
    }

    private static string Limits(int cpuShares, bool isolated = false) => Dev.Replace(
        "backend = \"namespace\"",
        $"backend = \"namespace\"\nnetwork_isolation = {(isolated ? "true" : "false")}\n\n[runtime.resource_limits]\ncpu_shares = {cpuShares}",
        StringComparison.Ordinal);

    private string? _lastMarker;

    private string NextMarker() => _lastMarker = $"m{++_counter}-{Rng.Next():x}";

    /// <summary>A marker file, 40 small files, a 1 MB one and a copy of /bin (busybox links) in the environment.</summary>
    private void WriteFiles(string env, string marker) => Ok(
        "exec", env, "--", "sh", "-c",
        $"echo {marker} > /marker && mkdir -p /data /opt && for i in $(seq 40); do head -c $((RANDOM / 8)) /dev/urandom > /data/f$i; done && head -c 1048576 /dev/urandom > /data/big && rm -rf /opt/bin && cp -a /bin /opt/bin");

    private void Commit(string env)
    {
        var marker = NextMarker();
        WriteFiles(env, marker);
        var digest = Printed(Ok("commit", env)) ?? throw new InvalidOperationException("commit printed no digest");
        Track(env, digest, marker);
    }

    private void Track(string env, string digest, string marker)
    {
        if (!Reported.TryGetValue(env, out var list))
        {
            Reported[env] = list = [];
        }

        if (!list.Contains(digest))
        {
            list.Add(digest);
        }

        _markers[digest] = marker;
    }

    private static string? Printed(ProcessResult result) => DigestLine().Match(result.Stdout) is { Success: true } m ? m.Value : null;

    private bool Exists(string env) => Scute("inspect", env).ExitCode == 0;

    private List<JsonNode> ListEnvironments()
    {
        var list = Scute("--json", "list");
        Assert.True(list.ExitCode == 0, $"{Trial}\n--- list: {list}");
        return [.. JsonNode.Parse(list.Stdout)!.AsArray().OfType<JsonNode>()];
    }

    private ProcessResult Scute(params string[] args) =>
        Session.User.RunAs([ScuteBinary.Path, .. args], Session.Project, new Dictionary<string, string> { ["SCUTE_STORE"] = Store });

    private ProcessResult Ok(params string[] args)
    {
        var r = Scute(args);
        Assert.True(r.ExitCode == 0, $"{Trial}: scute {string.Join(' ', args)}: {r}");
        return r;
    }

    private void Log(string line) => log(line);

    private static List<string> Entries(string dir) =>
        Directory.Exists(dir) ? [.. Directory.EnumerateFileSystemEntries(dir).Select(p => Path.GetFileName(p)!).Order(StringComparer.Ordinal)] : [];

    private static void TreeRemoval(string dir)
    {
        var rm = TestUser.Run("rm", ["-rf", dir]);
        Assert.True(rm.ExitCode == 0, rm.ToString());
    }

    [GeneratedRegex(@"(?m)^sha256:[0-9a-f]{64}$")]
    private static partial Regex DigestLine();
}
