using System.Text.Json.Nodes;
using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>scute gc with the real binary, as a non-root user.</summary>
[Trait("Category", "Integration")]
public sealed class GcTests
{
    [SkippableFact]
    public void Gc_keeps_a_built_environment_and_removes_a_destroyed_one()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        var id = s.Build(Manifests.Strict);

        var keep = s.Scute("gc");
        Assert.True(keep.ExitCode == 0, keep.ToString());
        Assert.Equal("removed 0 objects (0.0 MB), 0 layers, 0 images, 0 env folders, 0 staging entries; kept 5", keep.Stdout.Trim());

        Assert.Equal(0, s.Scute("destroy", id).ExitCode);
        var dry = s.Scute("gc", "--dry-run");
        var json = JsonNode.Parse(s.Scute("--json", "gc", "--dry-run").Stdout)!;
        var real = s.Scute("gc");
        var verify = s.Scute("verify-store");

        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Contains($"would remove image {s.Store}/images/", dry.Stdout);
        Assert.Matches(@"would remove 2 objects \(\d+\.\d MB\), 1 layers, 1 images, 0 env folders, \d+ staging entries; kept 0", dry.Stdout);
        Assert.True(json["dry_run"]!.GetValue<bool>());
        Assert.Equal(1, json["summary"]!["layers"]!.GetValue<int>());
        Assert.True(real.ExitCode == 0, real.ToString());
        Assert.Equal(dry.Stdout.Replace("would remove", "removed", StringComparison.Ordinal), real.Stdout);
        Assert.Empty(Directory.GetFiles(Path.Combine(s.Store, "store", "objects")));
        Assert.Empty(Directory.GetDirectories(Path.Combine(s.Store, "images")));
        Assert.True(verify.ExitCode == 0, verify.ToString());
    }

    [SkippableFact]
    public void Gc_interrupted_by_sigterm_stops_before_the_next_deletion_and_exits_143()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        var id = s.Build(Manifests.Strict);
        Assert.Equal(0, s.Scute("destroy", id).ExitCode);
        var pidFile = Path.Combine(s.Root, "gc.pid");

        // gc waits for the lock held by flock(1); SIGTERM arrives while it waits, so it must stop at its first check.
        using var holder = LockHolder.Hold(s, TimeSpan.FromSeconds(3));
        var gc = Task.Run(() => s.User.RunAs(
            ["sh", "-c", "echo $$ > \"$1\"; exec \"$2\" gc", "sh", pidFile, ScuteBinary.Path],
            s.Project,
            new Dictionary<string, string> { ["SCUTE_STORE"] = s.Store }));
        var pid = LockHolder.WaitForPid(pidFile);
        Thread.Sleep(500);
        Assert.Equal(0, TestUser.Run("kill", ["-TERM", pid]).ExitCode);
        var result = gc.GetAwaiter().GetResult();

        Assert.True(result.ExitCode == 143, result.ToString());
        Assert.Contains("waiting for the store lock", result.Stderr);
        Assert.Contains("gc stopped by SIGTERM after 0 removal(s)", result.Stderr);
        Assert.Single(Directory.GetFiles(Path.Combine(s.Store, "store", "layers")));
        Assert.Equal(0, s.Scute("verify-store").ExitCode);
    }
}
