using Scute.Runtime;

namespace Scute.Engine.Tests.Export;

/// <summary>Run specs as the engine builds them for export.</summary>
internal static class ExportSpecs
{
    public static RunSpec Strict(params string[] caps) => new()
    {
        LowerDirs = ["/s/images/k/rootfs"],
        UpperDir = "/s/env/e/upper",
        WorkDir = "/s/env/e/work",
        MergedDir = "/s/env/e/merged",
        Command = ["/bin/sh", "-l"],
        Uid = 1001,
        Gid = 1001,
        ReadOnlyRoot = true,
        NoNewPrivileges = true,
        Capabilities = caps,
        NetworkIsolation = true,
        Hostname = "web",
        WorkingDir = "/home/scute",
        Environment = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin", ["HOME"] = "/home/scute", ["TERM"] = "xterm" },
        IdMap = new IdMap { HostUid = 4242, HostGid = 4242, InsideUserForHost = 0, InsideGroupForHost = 0, SubUids = new IdRange(100000, 65536), SubGids = new IdRange(100000, 65536) },
        Image = "localhost/scute/web:0123456789ab",
        EnvId = "0123456789ab" + new string('c', 52),
    };

    public static RunSpec WithMount(RunSpec spec) => spec with { Mounts = [new BindMount("/home/u/site", "/srv", ReadOnly: true)] };
}
