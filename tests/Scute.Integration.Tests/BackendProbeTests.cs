using System.Globalization;
using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>
/// Issue 8, point 4: one probe from inside, every backend. The strict (`scute new app` style) and
/// the dev (Karapace) manifest run the same script under each backend of <see cref="Backends.Probed"/>
/// as the non-root test user; each must see exactly the enforced context, and all backends must
/// print the same lines: a difference between backends is a failure, not a caveat.
/// </summary>
[Trait("Category", "Integration")]
public sealed class BackendProbeTests
{
    /// <summary>One labelled line per fact; nothing that differs between two runs of one backend (pids, hostnames).</summary>
    private const string Probe = """
        echo "uid $(id -u) gid $(id -g) groups $(id -G)"
        grep -E '^(NoNewPrivs|Seccomp|CapInh|CapPrm|CapEff|CapBnd|CapAmb):' /proc/self/status | tr '\t' ' '
        if touch /probe-root 2>/tmp/root-error; then echo "root writable"; else echo "root $(grep -o 'Read-only file system' /tmp/root-error || cat /tmp/root-error)"; fi
        rm -f /probe-root
        for f in /proc/keys /proc/timer_list /proc/sched_debug /proc/kcore; do [ -e $f ] && echo "masked:$f $(cat $f | wc -c)"; done
        echo "masked:/sys/firmware $(ls -A /sys/firmware | wc -l)"
        echo "proc-sys $( (echo x > /proc/sys/kernel/hostname) 2>/dev/null && echo writable || echo refused)"
        echo "dev $(ls /dev | sort | tr '\n' ' ')"
        echo "secrets $(env | grep -cE '^(SSH_AUTH_SOCK|AWS_SECRET_ACCESS_KEY)=')"
        echo "term $TERM"
        echo "net $(ls /sys/class/net | sort | tr '\n' ' ')"
        out=$(unshare -U true 2>&1); echo "unshare $? $out"
        exit 42
        """;

    private static string ManifestFor(string profile, string backend) =>
        Backends.Use(profile == "strict" ? Manifests.Strict : Manifests.Karapace, backend);

    private static ProcessResult RunProbe(ScuteSession s, string env) =>
        s.User.RunAs(
            [ScuteBinary.Path, "exec", env, "--", "sh", "-c", Probe],
            s.Project,
            new Dictionary<string, string>
            {
                ["SCUTE_STORE"] = s.Store,
                ["SSH_AUTH_SOCK"] = "/tmp/agent.sock",
                ["AWS_SECRET_ACCESS_KEY"] = "secret",
                ["TERM"] = "xterm-probe",
            });

    private static Dictionary<string, string> Facts(string stdout) =>
        stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', 2))
            .GroupBy(p => p[0].TrimEnd(':'))
            .ToDictionary(g => g.Key, g => g.First().Length > 1 ? g.First()[1].Trim() : string.Empty);

    [SkippableTheory]
    [MemberData(nameof(Backends.WithProfiles), MemberType = typeof(Backends))]
    public void The_probe_sees_exactly_the_enforced_context(string backend, string profile)
    {
        Backends.SkipUnlessInstalled(backend);
        var s = new ScuteSession(TestUser.WithSubIds);
        s.Write("project.txt", "x");
        var env = s.Build(ManifestFor(profile, backend), name: "probe");

        var r = RunProbe(s, env);

        Assert.True(r.ExitCode == 42, r.ToString());
        var f = Facts(r.Stdout);
        var uid = s.User.Uid.ToString(CultureInfo.InvariantCulture);
        Assert.Equal(profile == "strict" ? "1001 gid 1001 groups 1001" : $"{uid} gid {uid} groups {uid}", f["uid"]);
        Assert.Equal("1", f["NoNewPrivs"]);
        Assert.Equal("2", f["Seccomp"]);
        foreach (var set in new[] { "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb" })
        {
            Assert.Equal("0000000000000000", f[set]);
        }

        Assert.Equal(profile == "strict" ? "Read-only file system" : "writable", f["root"]);
        Assert.Equal("0", f["masked:/proc/keys"]);
        Assert.Equal("0", f["masked:/proc/timer_list"]);
        Assert.Equal("0", f["masked:/sys/firmware"]);
        Assert.Equal("refused", f["proc-sys"]);
        Assert.Equal("fd full null ptmx pts random shm stderr stdin stdout tty urandom zero", f["dev"]);
        Assert.Equal("0", f["secrets"]);
        Assert.Equal("xterm-probe", f["term"]);
        if (profile == "strict")
        {
            Assert.Equal("lo", f["net"]);
        }

        Assert.StartsWith("1 ", f["unshare"]);
        Assert.Contains("Operation not permitted", f["unshare"]);
    }

    [SkippableTheory]
    [InlineData("strict")]
    [InlineData("dev")]
    public void Every_backend_prints_the_same_probe(string profile)
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        var results = new List<(string Backend, ProcessResult Result)>();
        foreach (var backend in Backends.Probed)
        {
            Backends.SkipUnlessInstalled(backend);
            var env = s.Build(ManifestFor(profile, backend), file: $"{backend}.toml", name: backend);
            results.Add((backend, RunProbe(s, env)));
        }

        var (first, expected) = results[0];
        foreach (var (backend, actual) in results.Skip(1))
        {
            Assert.True(expected.Stdout == actual.Stdout, $"{first}:\n{expected.Stdout}\n{backend}:\n{actual.Stdout}");
            Assert.Equal(expected.ExitCode, actual.ExitCode);
        }
    }

    [SkippableFact]
    public void Oci_refuses_a_memory_limit_runc_cannot_start_under_in_one_line()
    {
        Backends.SkipUnlessInstalled("oci");
        var s = new ScuteSession(TestUser.WithSubIds);
        var env = s.Build(Backends.Use(Manifests.Strict, "oci") + "\n[runtime.resource_limits]\nmemory_limit_mb = 64\n");

        var r = s.Scute("exec", env, "--", "true");

        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("memory_limit_mb = 64", r.Stderr);
        Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [SkippableFact]
    public void Oci_names_the_missing_subordinate_ids_when_only_root_could_be_mapped()
    {
        var s = new ScuteSession(TestUser.WithoutSubIds);
        var env = s.Build(Backends.Use(Manifests.Strict, "oci"));

        var r = s.Scute("exec", env, "--", "true");

        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("subordinate ids", r.Stderr);
        Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
