using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>The seccomp filter, seen from inside the process the namespace backend starts.</summary>
[Trait("Category", "Integration")]
public sealed class SeccompTests
{
    public static TheoryData<string> Users => new() { "scute-test", "scute-nosub" };

    /// <summary>The namespace backend as each user; every other probed backend as the user with subordinate ids.</summary>
    public static TheoryData<string, string> UsersAndBackends
    {
        get
        {
            var data = new TheoryData<string, string> { { "scute-test", "namespace" }, { "scute-nosub", "namespace" } };
            foreach (var backend in Backends.Probed.Where(b => b != "namespace"))
            {
                data.Add("scute-test", backend);
            }

            return data;
        }
    }

    private static TestUser UserNamed(string name) => name == "scute-test" ? TestUser.WithSubIds : TestUser.WithoutSubIds;

    private static string Strict(string security = "", string overrides = "") => $"""
        manifest_version = 1

        [base]
        image = "builtin:busybox"

        [runtime]
        network_isolation = true

        [security]
        profile = "strict"
        user = 1001
        group = 1001
        {security}

        [security.overrides]
        {overrides}
        """;

    private const string DenyMkdir = """
        {
          "defaultAction": "SCMP_ACT_ALLOW",
          "syscalls": [
            { "names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13 }
          ]
        }
        """;

    [SkippableTheory]
    [MemberData(nameof(Users))]
    public void The_default_filter_is_installed(string user)
    {
        var s = new ScuteSession(UserNamed(user));
        var env = s.Build(Manifests.Strict);

        var r = s.Scute("exec", env, "--", "cat", "/proc/self/status");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("Seccomp:\t2", r.Stdout);
        Assert.Contains("NoNewPrivs:\t1", r.Stdout);
    }

    [SkippableTheory]
    [MemberData(nameof(Users))]
    public void Namespaces_and_mounts_are_denied(string user)
    {
        var s = new ScuteSession(UserNamed(user));
        var env = s.Build(Manifests.Strict);

        var userns = s.Scute("exec", env, "--", "unshare", "-U", "true");
        var mountns = s.Scute("exec", env, "--", "unshare", "-m", "true");
        var mount = s.Scute("exec", env, "--", "mount", "-t", "tmpfs", "x", "/tmp");
        var chroot = s.Scute("exec", env, "--", "chroot", "/", "true");

        Assert.NotEqual(0, userns.ExitCode);
        Assert.Contains("Operation not permitted", userns.Stderr);
        Assert.NotEqual(0, mountns.ExitCode);
        Assert.NotEqual(0, mount.ExitCode);
        Assert.NotEqual(0, chroot.ExitCode);
    }

    [SkippableTheory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public void Ordinary_tools_still_work(string backend)
    {
        Backends.SkipUnlessInstalled(backend);
        var s = new ScuteSession(TestUser.WithSubIds);
        var env = s.Build(Backends.Use(Manifests.Strict, backend));
        const string script = """
            set -e
            ls / > /dev/null
            cat /etc/passwd > /dev/null
            printf 'b\na\n' | sort | head -1
            mkdir -p /tmp/d/e && echo x > /tmp/d/e/f && tar -C /tmp -cf /tmp/t.tar d && tar -tf /tmp/t.tar | sort | tail -1
            wget --help 2>&1 | head -1 > /dev/null
            (sleep 0; echo subshell) &
            wait
            date > /dev/null
            echo done
            """;

        var r = s.Scute("exec", env, "--", "sh", "-c", script);

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(["a", "d/e/f", "subshell", "done"], r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [SkippableTheory]
    [MemberData(nameof(UsersAndBackends))]
    public void Unconfined_with_a_reason_installs_no_filter(string user, string backend)
    {
        Backends.SkipUnlessInstalled(backend);
        var s = new ScuteSession(UserNamed(user));
        var env = s.Build(Backends.Use(Strict("seccomp = \"unconfined\"", "seccomp = \"the tool under test needs io_uring, which the default profile denies\""), backend));

        var r = s.Scute("exec", env, "--", "cat", "/proc/self/status");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("Seccomp:\t0", r.Stdout);
    }

    [SkippableTheory]
    [MemberData(nameof(UsersAndBackends))]
    public void A_custom_profile_file_is_enforced(string user, string backend)
    {
        Backends.SkipUnlessInstalled(backend);
        var s = new ScuteSession(UserNamed(user));
        s.Write("profiles/deny-mkdir.json", DenyMkdir);
        var custom = s.Build(Backends.Use(Strict("seccomp = \"profiles/deny-mkdir.json\"", "seccomp = \"this environment must never create directories, only write files\""), backend), "custom.toml");
        var standard = s.Build(Backends.Use(Manifests.Strict, backend));

        var denied = s.Scute("exec", custom, "--", "mkdir", "/tmp/x");
        var touch = s.Scute("exec", custom, "--", "sh", "-c", "echo x > /tmp/f && grep Seccomp: /proc/self/status");
        var allowed = s.Scute("exec", standard, "--", "mkdir", "/tmp/x");

        Assert.NotEqual(0, denied.ExitCode);
        Assert.Contains("Permission denied", denied.Stderr);
        Assert.True(touch.ExitCode == 0, touch.ToString());
        Assert.Contains("Seccomp:\t2", touch.Stdout);
        Assert.True(allowed.ExitCode == 0, allowed.ToString());
    }

    [SkippableFact]
    public void A_profile_changed_after_build_takes_effect_only_through_a_rebuild_which_refuses_a_broken_one()
    {
        // Build resolves and compiles the profile (storage-format.md, "What build stores for exec"):
        // the environment keeps the filter it was built with until it is built again.
        var s = new ScuteSession(TestUser.WithSubIds);
        s.Write("profile.json", """{ "defaultAction": "SCMP_ACT_ALLOW" }""");
        var env = s.Build(Strict("seccomp = \"profile.json\"", "seccomp = \"a profile written for this test, which is broken after the build\""));
        s.Write("profile.json", """{ "defaultAction": "SCMP_ACT_SOMETIMES" }""");

        var r = s.Scute("exec", env, "--", "echo", "ran");
        var rebuilt = s.Scute("rebuild");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("ran", r.Stdout.Trim());
        Assert.Equal(2, rebuilt.ExitCode);
        Assert.Contains("SCMP_ACT_SOMETIMES", rebuilt.Stderr);
    }

    [SkippableTheory]
    [MemberData(nameof(UsersAndBackends))]
    public void Without_no_new_privileges_the_filter_is_installed_before_the_capabilities_are_dropped(string user, string backend)
    {
        Backends.SkipUnlessInstalled(backend);
        var s = new ScuteSession(UserNamed(user));
        var env = s.Build(Backends.Use(Strict("no_new_privileges = false", "no_new_privileges = \"the service calls a setuid helper that must gain its privileges\""), backend));

        var r = s.Scute("exec", env, "--", "sh", "-c", "cat /proc/self/status; unshare -U true && echo escaped; echo end");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("Seccomp:\t2", r.Stdout);
        Assert.Contains("NoNewPrivs:\t0", r.Stdout);
        Assert.Contains("CapEff:\t0000000000000000", r.Stdout);
        Assert.DoesNotContain("escaped", r.Stdout);
    }
}
