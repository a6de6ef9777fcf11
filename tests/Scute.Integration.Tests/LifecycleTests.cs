using System.Diagnostics;
using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>The lifecycle commands with the real binary, as scute-test, on a dev (Karapace-style) manifest.</summary>
[Trait("Category", "Integration")]
public sealed class LifecycleTests
{
    private const string Dev = """
        manifest_version = 1

        [base]
        image = "builtin:busybox"

        [runtime]
        backend = "namespace"
        """;

    /// <summary>Every backend keeps a dev environment's changes (files, and removals as whiteouts) in its upper layer, where diff, commit and restore find them.</summary>
    [SkippableTheory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public void Diff_commit_restore_and_snapshots(string backend)
    {
        Backends.SkipUnlessInstalled(backend);
        var s = Session(backend);
        Ok(s.Scute("exec", "dev", "--", "sh", "-c", "echo one > /etc/one; mkdir -p /opt/app; echo v1 > /opt/app/conf; rm /etc/os-release"));

        var diff = Ok(s.Scute("diff", "dev"));
        Assert.Contains("A /etc/one", diff.Stdout);
        Assert.Contains("A /opt/app/conf", diff.Stdout);
        // Not /etc/passwd: a run lays its generated file over it, so it cannot be removed inside.
        Assert.Contains("D /etc/os-release", diff.Stdout);

        var digest = Ok(s.Scute("commit", "dev", "-m", "first")).Stdout.Trim();
        Assert.Matches("^sha256:[0-9a-f]{64}$", digest);

        Ok(s.Scute("exec", "dev", "--", "sh", "-c", "echo two > /etc/two; echo v2 > /opt/app/conf; rm /etc/one"));
        Ok(s.Scute("restore", "dev", digest));

        var state = Ok(s.Scute("exec", "dev", "--", "sh", "-c", "cat /etc/one /opt/app/conf; test -e /etc/two || echo no-two; test -e /etc/os-release || echo no-release"));
        Assert.Equal(["one", "v1", "no-two", "no-release"], state.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var list = Ok(s.Scute("snapshots", "dev"));
        Assert.Contains(digest.Substring(7, 12), list.Stdout);
        Assert.Contains("first", list.Stdout);
        var json = Ok(s.Scute("--json", "snapshots", "dev"));
        Assert.Contains(digest, json.Stdout);
    }

    [SkippableFact]
    public void Gc_keeps_snapshots_and_archived_environments()
    {
        var s = Session();
        Ok(s.Scute("exec", "dev", "--", "sh", "-c", "echo kept > /etc/kept"));
        var digest = Ok(s.Scute("commit", "dev", "-m", "before gc")).Stdout.Trim();
        Ok(s.Scute("exec", "dev", "--", "rm", "/etc/kept"));
        Ok(s.Scute("archive", "dev"));

        Ok(s.Scute("gc"));
        Ok(s.Scute("verify-store"));

        Assert.Contains(digest, Ok(s.Scute("--json", "snapshots", "dev")).Stdout);
        var layer = Path.Combine(s.Store, "store", "layers", digest[7..]);
        Assert.True(File.Exists(layer), $"snapshot layer {layer} was collected");
        var list = Ok(s.Scute("--json", "list")).Stdout;
        Assert.Contains("\"archived\"", list);
    }

    [SkippableFact]
    public void Freeze_makes_the_root_read_only_and_archive_forbids_entry()
    {
        var s = Session();
        Ok(s.Scute("freeze", "dev"));

        var touch = s.Scute("exec", "dev", "--", "touch", "/x");
        Assert.NotEqual(0, touch.ExitCode);
        Assert.Contains("Read-only file system", touch.Stderr);

        Ok(s.Scute("archive", "dev"));
        var exec = s.Scute("exec", "dev", "--", "true");
        Assert.Equal(125, exec.ExitCode);
        Assert.Contains("archived → running is not allowed", exec.Stderr);
    }

    [SkippableFact]
    public void Rename_then_exec_by_the_new_name()
    {
        var s = Session();
        Ok(s.Scute("rename", "dev", "renamed"));

        Assert.Equal("ok", Ok(s.Scute("exec", "renamed", "--", "echo", "ok")).Stdout.Trim());
        Assert.NotEqual(0, s.Scute("exec", "dev", "--", "true").ExitCode);
        Assert.Equal(1, s.Scute("rename", "renamed", "bad name!").ExitCode);
    }

    [SkippableTheory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public void Stop_ends_a_running_command_and_destroy_is_refused_meanwhile(string backend)
    {
        Backends.SkipUnlessInstalled(backend);
        var s = Session(backend);
        using var background = StartScute(s, "exec", "dev", "--", "sleep", "1000");
        WaitUntil(() => s.Scute("list").Stdout.Contains("running", StringComparison.Ordinal));

        var destroy = s.Scute("destroy", "dev");
        Assert.Equal(1, destroy.ExitCode);
        Assert.Contains("stop it first", destroy.Stderr);

        var clock = Stopwatch.StartNew();
        Ok(s.Scute("stop", "dev", "--timeout", "10"));
        Assert.True(background.WaitForExit(15_000), "exec did not end");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(12));
        Assert.Equal(143, background.ExitCode);
        Assert.Contains("built", s.Scute("list").Stdout);
        Ok(s.Scute("destroy", "dev"));
    }

    [SkippableFact]
    public void Rebuild_keeps_the_name_and_removes_the_old_environment()
    {
        var s = Session();
        var oldId = Ok(s.Scute("--json", "inspect", "dev")).Stdout;
        var oldEnv = System.Text.Json.Nodes.JsonNode.Parse(oldId)!["env_id"]!.GetValue<string>();
        s.Write("karapace.toml", Dev + "\nnetwork_isolation = true\n");

        Ok(s.Scute("rebuild"));

        var inspect = System.Text.Json.Nodes.JsonNode.Parse(Ok(s.Scute("--json", "inspect", "dev")).Stdout)!;
        Assert.NotEqual(oldEnv, inspect["env_id"]!.GetValue<string>());
        Assert.False(Directory.Exists(Path.Combine(s.Store, "env", oldEnv)));
        Assert.Single(Ok(s.Scute("--json", "list")).Stdout.Split("\"env_id\"")[1..]);
    }

    [SkippableFact]
    public void Migrate_on_a_current_store()
    {
        var s = Session();

        Assert.Equal("store format 1 is current", Ok(s.Scute("migrate")).Stdout.Trim());
    }

    private static ScuteSession Session(string backend = "namespace")
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        s.Write("karapace.toml", Backends.Use(Dev, backend));
        Ok(s.Scute("build", "--name", "dev"));
        return s;
    }

    private static ProcessResult Ok(ProcessResult r)
    {
        Assert.True(r.ExitCode == 0, r.ToString());
        return r;
    }

    private static Process StartScute(ScuteSession s, params string[] args)
    {
        var argv = new List<string>();
        if (TestUser.RunningAsRoot)
        {
            argv.AddRange(["runuser", "-u", s.User.Name, "--"]);
        }

        argv.AddRange(["env", "-i", $"HOME={s.User.Home}", "PATH=/usr/bin:/bin", $"SCUTE_STORE={s.Store}", ScuteBinary.Path]);
        argv.AddRange(args);
        var psi = new ProcessStartInfo(argv[0]) { WorkingDirectory = s.Project, UseShellExecute = false, RedirectStandardInput = true };
        foreach (var a in argv.Skip(1))
        {
            psi.ArgumentList.Add(a);
        }

        return Process.Start(psi)!;
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
