using System.Text.Json;
using Scute.Runtime.Namespace;
using Scute.Runtime.Oci;
using Scute.Runtime.Seccomp;

namespace Scute.Runtime.Tests.Oci;

public sealed class OciConfigBuilderTests
{
    private static readonly OciLayout Layout = new("/run/user/4242/scute/oci/scute-1");
    private static readonly IdRange Uids = new(100000, 65536);
    private static readonly IdRange Gids = new(200000, 65536);

    private static RunSpec Strict(IdMap? map = null) => Specs.Spec(map ?? Specs.Ranges(), network: true) with
    {
        Command = ["/bin/sh", "-c", "id"],
        Environment = new Dictionary<string, string> { ["TERM"] = "xterm", ["HOME"] = "/home/u", ["PATH"] = "/usr/bin:/bin" },
        WorkingDir = "/workspace",
        Hostname = "app",
        ReadOnlyRoot = true,
        Capabilities = ["NET_BIND_SERVICE", "CHOWN"],
        Mounts = [new BindMount("/home/u/project", "/workspace", false), new BindMount("/home/u/data.txt", "/data.txt", true)],
        Limits = new LimitSpec(512, 64),
    };

    [Fact]
    public void The_process_gets_the_identity_exactly_the_granted_capabilities_and_no_new_privileges()
    {
        var c = OciConfigBuilder.Build(Strict(), Layout, Uids, Gids);

        Assert.Equal("1.1.0", c.OciVersion);
        Assert.Equal((1001L, 1001L), (c.Process.User.Uid, c.Process.User.Gid));
        Assert.Empty(c.Process.User.AdditionalGids);
        Assert.Equal(["/bin/sh", "-c", "id"], c.Process.Args);
        Assert.Equal(["HOME=/home/u", "PATH=/usr/bin:/bin", "TERM=xterm"], c.Process.Env);
        Assert.Equal("/workspace", c.Process.Cwd);
        Assert.True(c.Process.NoNewPrivileges);
        Assert.False(c.Process.Terminal);
        string[] caps = ["CAP_CHOWN", "CAP_NET_BIND_SERVICE"];
        var sets = c.Process.Capabilities;
        Assert.All(new[] { sets.Bounding, sets.Effective, sets.Permitted, sets.Inheritable, sets.Ambient }, s => Assert.Equal(caps, s));
        var rlimit = Assert.Single(c.Process.Rlimits);
        Assert.Equal(new OciRlimit("RLIMIT_DATA", 64UL * 1024 * 1024, 64UL * 1024 * 1024), rlimit);
    }

    [Fact]
    public void No_capability_granted_leaves_every_set_empty()
    {
        var c = OciConfigBuilder.Build(Strict() with { Capabilities = [] }, Layout, Uids, Gids);

        var sets = c.Process.Capabilities;
        Assert.All(new[] { sets.Bounding, sets.Effective, sets.Permitted, sets.Inheritable, sets.Ambient }, Assert.Empty);
    }

    [Fact]
    public void The_root_is_the_overlay_read_only_with_the_namespace_backends_masks()
    {
        var c = OciConfigBuilder.Build(Strict(), Layout, Uids, Gids);

        Assert.Equal(new OciRoot("/store/envs/e/merged", true), c.Root);
        Assert.Equal("app", c.Hostname);
        Assert.Equal(MaskedPaths.Masked, c.Linux.MaskedPaths);
        Assert.Equal(MaskedPaths.ReadOnly, c.Linux.ReadonlyPaths);
        Assert.Contains("/proc/kcore", c.Linux.MaskedPaths);
        Assert.Contains("/proc/sys", c.Linux.ReadonlyPaths);
    }

    [Fact]
    public void Mounts_are_proc_the_staged_dev_sysfs_the_tmpfs_folders_and_the_staged_sources()
    {
        var c = OciConfigBuilder.Build(Strict(), Layout, Uids, Gids);

        Assert.Equal(["/proc", "/dev", "/sys", "/tmp", "/var/tmp", "/run", "/workspace", "/data.txt"], c.Mounts.Select(m => m.Destination));
        Assert.Equal(("bind", Layout.Dev), (c.Mounts[1].Type, c.Mounts[1].Source));
        Assert.Equal(["rbind"], c.Mounts[1].Options);
        Assert.Equal(("bind", "/proc"), (c.Mounts[0].Type, c.Mounts[0].Source));
        Assert.Equal("sysfs", c.Mounts[2].Type);
        Assert.Equal(["nosuid", "nodev", "mode=1777"], c.Mounts[3].Options);
        Assert.Equal(["nosuid", "nodev", "mode=755"], c.Mounts[5].Options);
        Assert.Equal(Layout.Bind(0), c.Mounts[6].Source);
        Assert.Equal(["rbind"], c.Mounts[6].Options);
        Assert.Equal(Layout.Bind(1), c.Mounts[7].Source);
        Assert.Equal(["rbind", "rro"], c.Mounts[7].Options);
    }

    [Fact]
    public void A_writable_root_gets_only_run_and_the_hosts_sys_read_only_without_isolation()
    {
        var c = OciConfigBuilder.Build(Strict() with { ReadOnlyRoot = false, NetworkIsolation = false }, Layout, Uids, Gids);

        Assert.False(c.Root.Readonly);
        Assert.DoesNotContain(c.Mounts, m => m.Destination is "/tmp" or "/var/tmp");
        var sys = c.Mounts.Single(m => m.Destination == "/sys");
        Assert.Equal(("bind", "/sys"), (sys.Type, sys.Source));
        Assert.Contains("rro", sys.Options);
        Assert.DoesNotContain(c.Linux.Namespaces, n => n.Type == OciNamespaceType.Network);
    }

    [Fact]
    public void Namespaces_are_user_mount_ipc_uts_network_with_isolation_and_cgroup()
    {
        var c = OciConfigBuilder.Build(Strict(), Layout, Uids, Gids);

        Assert.Equal(
            [OciNamespaceType.User, OciNamespaceType.Mount, OciNamespaceType.Ipc, OciNamespaceType.Uts, OciNamespaceType.Network, OciNamespaceType.Cgroup],
            c.Linux.Namespaces.Select(n => n.Type));
    }

    [Fact]
    public void Subordinate_ranges_map_identically_inside_the_outer_namespace()
    {
        var c = OciConfigBuilder.Build(Strict(), Layout, Uids, Gids);

        Assert.Equal([new OciIdMapping(0, 0, 1), new OciIdMapping(1, 1, 65536)], c.Linux.UidMappings);
        Assert.Equal([new OciIdMapping(0, 0, 1), new OciIdMapping(1, 1, 65536)], c.Linux.GidMappings);
    }

    [Fact]
    public void The_seccomp_filter_is_resolved_and_unconfined_has_none()
    {
        Assert.NotNull(OciConfigBuilder.Build(Strict(), Layout, Uids, Gids).Linux.Seccomp);
        Assert.Null(OciConfigBuilder.Build(Strict() with { Seccomp = SeccompSpec.Unconfined }, Layout, Uids, Gids).Linux.Seccomp);
    }

    [Fact]
    public void A_terminal_is_asked_for_only_when_the_command_gets_one()
    {
        Assert.True(OciConfigBuilder.Build(Strict(), Layout, Uids, Gids, terminal: true).Process.Terminal);
        Assert.False(OciConfigBuilder.Build(Strict() with { Terminal = true }, Layout, Uids, Gids).Process.Terminal);
    }

    [Fact]
    public void The_json_uses_the_runtime_spec_names()
    {
        var json = JsonSerializer.Serialize(OciConfigBuilder.Build(Strict(), Layout, Uids, Gids), OciJsonContext.Default.OciConfig);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;

        Assert.Equal("1.1.0", root.GetProperty("ociVersion").GetString());
        Assert.True(root.GetProperty("root").GetProperty("readonly").GetBoolean());
        Assert.True(root.GetProperty("process").GetProperty("noNewPrivileges").GetBoolean());
        Assert.Equal(0, root.GetProperty("process").GetProperty("user").GetProperty("additionalGids").GetArrayLength());
        var mapping = root.GetProperty("linux").GetProperty("uidMappings")[1];
        Assert.Equal(1, mapping.GetProperty("containerID").GetInt64());
        Assert.Equal(1, mapping.GetProperty("hostID").GetInt64());
        Assert.Equal(65536, mapping.GetProperty("size").GetInt64());
        Assert.Equal("network", root.GetProperty("linux").GetProperty("namespaces")[4].GetProperty("type").GetString());
        Assert.Equal("SCMP_ACT_ERRNO", root.GetProperty("linux").GetProperty("seccomp").GetProperty("defaultAction").GetString());
        Assert.True(root.GetProperty("linux").TryGetProperty("maskedPaths", out _));
        Assert.True(root.GetProperty("linux").TryGetProperty("readonlyPaths", out _));
        Assert.False(root.GetProperty("linux").TryGetProperty("resources", out _));
    }
}
