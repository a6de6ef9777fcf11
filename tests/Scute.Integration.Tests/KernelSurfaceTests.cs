using System.Text.Json.Nodes;
using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>DESIGN §2.1/§2.4 from inside: masked and read-only kernel paths, granted capabilities, loopback, limits.</summary>
[Trait("Category", "Integration")]
public sealed class KernelSurfaceTests
{
    [SkippableTheory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public void Masked_paths_read_empty_and_proc_sys_is_read_only(string backend)
    {
        Backends.SkipUnlessInstalled(backend);
        var s = new ScuteSession(TestUser.WithSubIds);
        var env = s.Build(Backends.Use(Manifests.Strict, backend));

        var r = s.Scute("exec", env, "--", "sh", "-c",
            "for f in /proc/keys /proc/timer_list /proc/sched_debug /proc/interrupts; do [ -e $f ] && echo \"$f $(cat $f | wc -c)\"; done; " +
            "echo \"firmware $(ls -A /sys/firmware | wc -l)\"; " +
            "echo x > /proc/sys/kernel/hostname 2>&1 || echo proc-sys-refused; echo c > /proc/sysrq-trigger 2>&1 || echo sysrq-refused");

        Assert.True(r.ExitCode == 0, r.ToString());
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("/proc/keys 0", lines);
        Assert.Contains("/proc/timer_list 0", lines);
        Assert.Contains("firmware 0", lines);
        Assert.Contains("proc-sys-refused", lines);
        Assert.Contains("sysrq-refused", lines);
        Assert.Contains("Read-only file system", r.Stderr);
    }

    [SkippableTheory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public void A_granted_capability_is_exactly_what_every_set_holds(string backend)
    {
        Backends.SkipUnlessInstalled(backend);
        var s = new ScuteSession(TestUser.WithSubIds);
        var env = s.Build(Backends.Use(Manifests.Strict, backend) + "\n[security.capabilities]\nNET_BIND_SERVICE = \"serves HTTP on port 80 to the LAN\"\n");

        var r = s.Scute("exec", env, "--", "grep", "^Cap", "/proc/self/status");

        Assert.True(r.ExitCode == 0, r.ToString());
        foreach (var set in new[] { "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb" })
        {
            Assert.Contains($"{set}:\t0000000000000400", r.Stdout);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public void Isolated_network_has_loopback_up(string backend)
    {
        Backends.SkipUnlessInstalled(backend);
        var s = new ScuteSession(TestUser.WithSubIds);
        var env = s.Build(Backends.Use(Manifests.Strict, backend));

        var r = s.Scute("exec", env, "--", "cat", "/sys/class/net/lo/flags");

        Assert.True(r.ExitCode == 0, r.ToString());
        var flags = Convert.ToInt32(r.Stdout.Trim(), 16);
        Assert.Equal(1, flags & 1);
    }

    [SkippableTheory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public void Memory_limit_is_applied_and_inspect_says_which_limits_are_enforced(string backend)
    {
        Backends.SkipUnlessInstalled(backend);
        var s = new ScuteSession(TestUser.WithSubIds);
        var env = s.Build(Backends.Use(Manifests.Strict, backend) + "\n[runtime.resource_limits]\nmemory_limit_mb = 128\ncpu_shares = 512\n");

        var limits = s.Scute("exec", env, "--", "grep", "Max data size", "/proc/self/limits");
        var inspect = JsonNode.Parse(s.Scute("--json", "inspect", env).Stdout)!["limits"]!.AsArray();

        Assert.Contains("134217728", limits.Stdout); // 128 MiB: runc itself needs that much to start the command under it
        var memory = inspect.Single(l => l!["name"]!.GetValue<string>() == "memory_limit_mb")!;
        var cpu = inspect.Single(l => l!["name"]!.GetValue<string>() == "cpu_shares")!;
        Assert.True(memory["enforced"]!.GetValue<bool>());
        Assert.False(cpu["enforced"]!.GetValue<bool>());
        Assert.Contains("not enforced", cpu["how"]!.GetValue<string>());
    }
}
