using Scute.Runtime.Oci;
using Scute.Runtime.Podman;

namespace Scute.Runtime.Tests;

/// <summary>
/// Issue 12: the desktop grants reach every backend through the same run spec: the private
/// tmpfs folders (XDG_RUNTIME_DIR, /tmp/.X11-unix) before the socket binds that land in them.
/// </summary>
public sealed class DesktopCarriageTests
{
    private static RunSpec Desktop() => Specs.Spec(Specs.Ranges()) with
    {
        Image = "localhost/scute/app:0123456789ab",
        Tmpfs = [new TmpfsMount("/run/user/1001", "700", UserOwned: true), new TmpfsMount("/tmp/.X11-unix", "1777", UserOwned: false)],
        Mounts = [new BindMount("/tmp/.X11-unix/X42", "/tmp/.X11-unix/X42", ReadOnly: false), new BindMount("/tmp/scute-desktop-1/Xauthority", "/run/user/1001/Xauthority", ReadOnly: true)],
        Environment = new Dictionary<string, string> { ["DISPLAY"] = ":42", ["XDG_RUNTIME_DIR"] = "/run/user/1001" },
    };

    [Fact]
    public void Podman_gets_the_private_folders_the_sockets_and_the_variables()
    {
        var args = PodmanArguments.Run(Desktop(), seccompFile: null).ToList();

        Assert.Contains("/run/user/1001:rw,nosuid,nodev,mode=700,U", args);
        Assert.Contains("/tmp/.X11-unix:rw,nosuid,nodev,mode=1777", args);
        Assert.Contains("/tmp/.X11-unix/X42:/tmp/.X11-unix/X42:rw", args);
        Assert.Contains("/tmp/scute-desktop-1/Xauthority:/run/user/1001/Xauthority:ro", args);
        Assert.Contains("DISPLAY=:42", args);
    }

    [Fact]
    public void Oci_mounts_the_private_folders_owned_as_asked_before_the_binds()
    {
        var c = OciConfigBuilder.Build(Desktop(), new OciLayout("/run/user/4242/scute/oci/scute-1"), new IdRange(100000, 65536), new IdRange(200000, 65536));

        var targets = c.Mounts.Select(m => m.Destination).ToList();
        var runtime = c.Mounts.Single(m => m.Destination == "/run/user/1001");
        Assert.Equal("tmpfs", runtime.Type);
        Assert.Equal(["nosuid", "nodev", "mode=700", "uid=1001", "gid=1001"], runtime.Options);
        Assert.Equal(["nosuid", "nodev", "mode=1777"], c.Mounts.Single(m => m.Destination == "/tmp/.X11-unix").Options);
        Assert.True(targets.IndexOf("/run") < targets.IndexOf("/run/user/1001"));
        Assert.True(targets.IndexOf("/tmp/.X11-unix") < targets.IndexOf("/tmp/.X11-unix/X42"));
        Assert.Contains("DISPLAY=:42", c.Process.Env);
    }
}
