using Scute.Engine.Export;
using Scute.Runtime;

namespace Scute.Engine.Tests.Export;

public sealed class QuadletUnitTests
{
    private static List<string> Lines(RunSpec spec, string? seccomp = "/etc/scute/web.seccomp.json") =>
        [.. QuadletUnit.Write(spec, seccomp, "Scute environment web").Split('\n')];

    [Fact]
    public void Strict_unit_has_every_key_of_the_security_context()
    {
        var lines = Lines(ExportSpecs.WithMount(ExportSpecs.Strict("NET_BIND_SERVICE")));

        string[] expected =
        [
            "[Container]", "Image=localhost/scute/web:0123456789ab", "User=1001", "Group=1001", "ReadOnly=true", "ReadOnlyTmpfs=true",
            "NoNewPrivileges=true", "DropCapability=ALL", "AddCapability=NET_BIND_SERVICE", "SeccompProfile=/etc/scute/web.seccomp.json",
            "Volume=/home/u/site:/srv:ro", "Network=none", "Environment=HOME=/home/scute", "Environment=PATH=/usr/bin:/bin", "Environment=TERM=xterm",
            "PodmanArgs=--unsetenv-all --hostname web --workdir /home/scute --mount=type=tmpfs,destination=/sys/fs/cgroup,ro=true,notmpcopyup", "[Service]", "[Install]", "WantedBy=default.target",
        ];
        foreach (var line in expected)
        {
            Assert.Contains(line, lines);
        }

        Assert.DoesNotContain(lines, l => l.StartsWith("UserNS=", StringComparison.Ordinal));
    }

    [Fact]
    public void Dev_unit_keeps_the_host_id_and_a_writable_root_with_a_private_run()
    {
        var spec = ExportSpecs.Strict() with
        {
            ReadOnlyRoot = false,
            NetworkIsolation = false,
            IdMap = new IdMap { HostUid = 1001, HostGid = 1001, InsideUserForHost = 1001, InsideGroupForHost = 1001 },
        };

        var lines = Lines(spec, seccomp: null);

        Assert.Contains("UserNS=keep-id", lines);
        Assert.Contains("ReadOnly=false", lines);
        Assert.Contains("Tmpfs=/run:rw,nosuid,nodev,mode=755", lines);
        Assert.Contains("Network=host", lines);
        Assert.Contains("SeccompProfile=unconfined", lines);
    }

    [Fact]
    public void Values_with_spaces_are_quoted_for_systemd()
    {
        var spec = ExportSpecs.Strict() with { Environment = new Dictionary<string, string> { ["LANG"] = "a b", ["X"] = "100%" } };

        var lines = Lines(spec);

        Assert.Contains("Environment=\"LANG=a b\"", lines);
        Assert.Contains("Environment=\"X=100%%\"", lines);
    }

    [Fact]
    public void A_memory_limit_becomes_a_data_ulimit()
    {
        var lines = Lines(ExportSpecs.Strict() with { Limits = new LimitSpec(null, 64) });

        Assert.Contains(lines, l => l.StartsWith("PodmanArgs=", StringComparison.Ordinal) && l.Contains("--ulimit=data=67108864:67108864", StringComparison.Ordinal));
    }
}
