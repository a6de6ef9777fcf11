using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>The strict profile, seen from inside the process each backend starts.</summary>
[Trait("Category", "Integration")]
public sealed class StrictEnforcementTests
{
    public static TheoryData<string> Users => new() { "scute-test", "scute-nosub" };

    private static TestUser UserNamed(string name) => name == "scute-test" ? TestUser.WithSubIds : TestUser.WithoutSubIds;

    [SkippableTheory]
    [MemberData(nameof(Users))]
    public void Process_runs_as_1001_with_no_capabilities_and_no_new_privs(string user)
    {
        var s = new ScuteSession(UserNamed(user));
        var env = s.Build(Manifests.Strict, name: "app");

        var r = s.Scute("exec", env, "--", "sh", "-c", "id -u; id -g; cat /proc/self/status");

        Assert.True(r.ExitCode == 0, r.ToString());
        var lines = r.Stdout.Split('\n');
        Assert.Equal("1001", lines[0]);
        Assert.Equal("1001", lines[1]);
        Assert.Contains("NoNewPrivs:\t1", r.Stdout);
        foreach (var set in new[] { "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb" })
        {
            Assert.Contains($"{set}:\t0000000000000000", r.Stdout);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public void Root_filesystem_is_read_only_but_tmp_is_writable(string backend)
    {
        Backends.SkipUnlessInstalled(backend);
        var s = new ScuteSession(TestUser.WithSubIds);
        var env = s.Build(Backends.Use(Manifests.Strict, backend));

        var root = s.Scute("exec", env, "--", "touch", "/probe");
        var tmp = s.Scute("exec", env, "--", "sh", "-c", "echo x > /tmp/probe && cat /tmp/probe");

        Assert.NotEqual(0, root.ExitCode);
        Assert.Contains("Read-only file system", root.Stderr);
        Assert.True(tmp.ExitCode == 0, tmp.ToString());
        Assert.Equal("x", tmp.Stdout.Trim());
    }

    [SkippableTheory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public void Only_allowed_devices_and_variables_reach_the_process(string backend)
    {
        Backends.SkipUnlessInstalled(backend);
        var s = new ScuteSession(TestUser.WithSubIds);
        var env = s.Build(Backends.Use(Manifests.Strict, backend));

        var r = s.User.RunAs(
            [ScuteBinary.Path, "exec", env, "--", "sh", "-c", "ls /dev; echo ---; env"],
            s.Project,
            new Dictionary<string, string>
            {
                ["SCUTE_STORE"] = s.Store,
                ["SSH_AUTH_SOCK"] = "/tmp/agent.sock",
                ["AWS_SECRET_ACCESS_KEY"] = "secret",
                ["TERM"] = "xterm-test",
            });

        Assert.True(r.ExitCode == 0, r.ToString());
        var parts = r.Stdout.Split("---\n");
        var devices = parts[0].Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        Assert.Subset(new HashSet<string> { "full", "null", "random", "tty", "urandom", "zero", "pts", "shm", "ptmx", "fd", "stdin", "stdout", "stderr" }, devices);
        Assert.Contains("null", devices);
        Assert.DoesNotContain("SSH_AUTH_SOCK", parts[1]);
        Assert.DoesNotContain("AWS_SECRET_ACCESS_KEY", parts[1]);
        Assert.Contains("TERM=xterm-test", parts[1]);
    }

    [SkippableTheory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public void Network_isolation_leaves_only_loopback(string backend)
    {
        Backends.SkipUnlessInstalled(backend);
        var s = new ScuteSession(TestUser.WithSubIds);
        var env = s.Build(Backends.Use(Manifests.Strict, backend));

        var r = s.Scute("exec", env, "--", "ls", "/sys/class/net");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(["lo"], r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [SkippableTheory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public void Stdin_stdout_stderr_and_the_exit_status_pass_through(string backend)
    {
        Backends.SkipUnlessInstalled(backend);
        var s = new ScuteSession(TestUser.WithSubIds);
        var env = s.Build(Backends.Use(Manifests.Strict, backend));

        var r = s.ScuteWithInput("from stdin\n", "exec", env, "--", "sh", "-c", "cat; echo to-stderr >&2; exit 42");

        Assert.Equal(42, r.ExitCode);
        Assert.Equal("from stdin\n", r.Stdout);
        Assert.Equal("to-stderr\n", r.Stderr);
    }
}
