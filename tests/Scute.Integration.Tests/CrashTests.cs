using Scute.Integration.Tests.Support;
using Xunit.Abstractions;

namespace Scute.Integration.Tests;

/// <summary>
/// Issue 4 point 3: scute SIGKILLed (with every process it started) at random instants during
/// build, commit, restore, rebuild, destroy and gc; after each kill the next commands recover and
/// the store invariants of <see cref="CrashWorld.CheckInvariants"/> hold. CRASH_KILLS (default 200)
/// kills in all, shared by the operations the binary has; CRASH_SEED reproduces a run.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CrashTests(ITestOutputHelper output)
{
    public static TheoryData<string> Ops => [.. CrashOp.All.Select(o => o.Name)];

    [SkippableTheory]
    [MemberData(nameof(Ops))]
    public void Sigkill_at_a_random_instant_leaves_a_store_that_verifies(string name)
    {
        var op = CrashOp.Named(name);
        Skip.IfNot(CrashHarness.Selected(op), "not in CRASH_OPS");
        Skip.IfNot(op.Available, $"scute {op.Command} is not in this binary yet");
        Skip.IfNot(TestUser.WithSubIds.Exists, "test user scute-test does not exist (./test.sh creates it as root)");
        var seed = CrashHarness.BaseSeed + name.Length * 7919 + name[0];
        var summary = CrashHarness.Run(op, CrashHarness.KillsPerOp(), seed, Log);
        Assert.True(summary.Kills >= CrashHarness.KillsPerOp());
    }

    [SkippableFact]
    public void Killing_the_tree_leaves_no_process_behind()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        s.Write("scute.toml", "manifest_version = 1\n\n[base]\nimage = \"builtin:busybox\"\n\n[runtime]\nbackend = \"namespace\"\n");
        Assert.Equal(0, s.Scute("build", "--name", "dev").ExitCode);
        using var bg = BackgroundScute.Start(s.User, s.Project, s.Store, ["exec", "dev", "--", "sh", "-c", "sleep 1000 & sleep 1000"]);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (BackgroundScute.Tree(bg.Pid).Count < 5 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }

        var tree = BackgroundScute.Tree(bg.Pid);
        Assert.True(tree.Count >= 5, $"expected setsid/runuser, scute, its stages and two sleeps; saw {tree.Count}");
        var result = bg.KillTree();

        Assert.Equal(137, result.ExitCode);
        Assert.All(tree, pid => Assert.False(File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal), $"pid {pid} survived"));
    }

    /// <summary>The harness relies on verify-store to notice a reported snapshot whose layer is gone (a gc that forgets snapshots).</summary>
    [SkippableFact]
    public void Verify_store_names_a_snapshot_whose_layer_is_gone()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        s.Write("scute.toml", "manifest_version = 1\n\n[base]\nimage = \"builtin:busybox\"\n\n[runtime]\nbackend = \"namespace\"\n");
        Assert.Equal(0, s.Scute("build", "--name", "dev").ExitCode);
        Assert.Equal(0, s.Scute("exec", "dev", "--", "touch", "/x").ExitCode);
        var digest = s.Scute("commit", "dev").Stdout.Trim();
        File.Delete(Path.Combine(s.Store, "store", "layers", digest[7..]));

        var verify = s.Scute("verify-store");

        Assert.Equal(3, verify.ExitCode);
        Assert.Contains($"snapshot {digest} is not in the store", verify.Stdout + verify.Stderr, StringComparison.Ordinal);
    }

    private void Log(string line)
    {
        output.WriteLine(line);
        if (Environment.GetEnvironmentVariable("CRASH_LOG") is { Length: > 0 } path)
        {
            lock (typeof(CrashTests))
            {
                File.AppendAllText(path, line + Environment.NewLine);
            }
        }
    }
}
