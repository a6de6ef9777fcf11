using System.Diagnostics;
using Scute.Engine.Devices;
using Scute.Runtime;

namespace Scute.Engine.Tests.Devices;

/// <summary>Device grants become nodes, mounts and variables; made with real device nodes (mknod, so as root).</summary>
public sealed class DeviceGrantsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("scute-devices-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Node(string relative, char type = 'c', int major = 1, int minor = 3)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var p = Process.Start("mknod", [path, type.ToString(), major.ToString(System.Globalization.CultureInfo.InvariantCulture), minor.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        return path;
    }

    private CdiRegistry Registry(string json)
    {
        var dir = Path.Combine(_root, "cdi");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "spec.json"), json);
        return CdiRegistry.Load([dir], _ => null);
    }

    private static void SkipUnlessRoot() => Skip.IfNot(Environment.UserName == "root", "needs root to make device nodes with mknod");

    [SkippableFact]
    public void Gpu_gives_render_nodes_only_and_card_nodes_only_with_their_grant()
    {
        SkipUnlessRoot();
        Node("dev/dri/renderD128", minor: 3);
        Node("dev/dri/card0", minor: 5);
        File.WriteAllText(Path.Combine(_root, "dev/dri/renderD129"), "not a device");
        var hostDev = Path.Combine(_root, "dev");
        var render = DeviceGrants.Expand(["null", "dri"], hostDev);
        Assert.Equal(["null"], render.Devices);
        Assert.Equal([new DeviceNode(Path.Combine(hostDev, "dri/renderD128"), "/dev/dri/renderD128")], render.Nodes);
        var both = DeviceGrants.Expand(["dri", "dri-card"], hostDev);
        Assert.Equal(["/dev/dri/renderD128", "/dev/dri/card0"], both.Nodes.Select(n => n.Path));
    }

    [SkippableFact]
    public void A_cdi_device_gives_its_nodes_mounts_and_variables()
    {
        SkipUnlessRoot();
        var node = Node("host/vendor0", minor: 3);
        var lib = Path.Combine(_root, "lib");
        Directory.CreateDirectory(lib);
        var registry = Registry($$$"""
            {"cdiVersion":"0.5.0","kind":"nvidia.com/gpu","devices":[{"name":"all","containerEdits":{"deviceNodes":[{"path":"/dev/nvidia0","hostPath":"{{{node}}}","type":"c","major":1,"minor":3}]}}],
             "containerEdits":{"env":["NVIDIA_VISIBLE_DEVICES=all"],"mounts":[{"hostPath":"{{{lib}}}","containerPath":"/usr/lib/nvidia","options":["ro","nosuid","bind"]}]}}
            """);
        var x = DeviceGrants.Expand(["null", "cdi:nvidia.com/gpu=all"], registry: () => registry);
        Assert.Equal([new DeviceNode(node, "/dev/nvidia0")], x.Nodes);
        Assert.Equal([new BindMount(lib, "/usr/lib/nvidia", ReadOnly: true)], x.Mounts);
        Assert.Equal([new KeyValuePair<string, string>("NVIDIA_VISIBLE_DEVICES", "all")], x.Environment);
    }

    [Fact]
    public void The_nvidia_grant_is_passed_over_on_a_host_without_its_spec()
    {
        var registry = CdiRegistry.Load([Path.Combine(_root, "none")], _ => null);
        var x = DeviceGrants.Expand(["null", "cdi:" + DeviceGrants.NvidiaAll], registry: () => registry);
        Assert.Equal(["null"], x.Devices);
        Assert.Empty(x.Nodes);
    }

    [SkippableFact]
    public void A_node_that_is_not_what_the_spec_says_is_refused()
    {
        SkipUnlessRoot();
        var node = Node("host/vendor0", minor: 3);
        var registry = Registry($$$"""{"cdiVersion":"0.5.0","kind":"v.com/gpu","devices":[{"name":"a","containerEdits":{"deviceNodes":[{"path":"/dev/v0","hostPath":"{{{node}}}","major":195}]}}]}""");
        var e = Assert.Throws<ContainerSetupException>(() => DeviceGrants.Expand(["cdi:v.com/gpu=a"], registry: () => registry));
        Assert.Contains("is char 1:3, not the char 195:?", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"hooks":[{"hookName":"createContainer","path":"/usr/bin/nvidia-ctk"}]}""", "asks for a createContainer hook (/usr/bin/nvidia-ctk)")]
    [InlineData("""{"mounts":[{"hostPath":"/tmp","containerPath":"/x","type":"tmpfs","options":["size=1m"]}]}""", "is not a bind mount (type tmpfs)")]
    [InlineData("""{"deviceNodes":[{"path":"/etc/shadow","hostPath":"/dev/null"}]}""", "node /etc/shadow is not under /dev")]
    [InlineData("""{"deviceNodes":[{"path":"/dev/../etc/x","hostPath":"/dev/null"}]}""", "is not under /dev")]
    [InlineData("""{"deviceNodes":[{"path":"/dev/x","hostPath":"/etc/hostname"}]}""", "/etc/hostname is not a device node")]
    [InlineData("""{"deviceNodes":[{"path":"/dev/x","hostPath":"/dev/scute-no-such-node"}]}""", "does not exist on this host")]
    public void What_scute_does_not_apply_is_one_line_naming_the_device(string edits, string expected)
    {
        var registry = Registry("""{"cdiVersion":"0.5.0","kind":"v.com/gpu","devices":[{"name":"a","containerEdits":""" + edits + "}]}");
        var e = Assert.Throws<ContainerSetupException>(() => DeviceGrants.Expand(["cdi:v.com/gpu=a"], registry: () => registry));
        Assert.StartsWith("CDI device v.com/gpu=a", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void An_export_carries_only_the_portable_grants()
    {
        var x = DeviceGrants.Portable(["null", "snd", "dri", "dri-card", "cdi:nvidia.com/gpu=all"]);
        Assert.Equal(["null", "snd"], x.Devices);
        Assert.Equal(1, DeviceGrants.NvidiaGpus(["dri", "cdi:nvidia.com/gpu=all"]));
        Assert.Equal(0, DeviceGrants.NvidiaGpus(["dri"]));
    }
}
