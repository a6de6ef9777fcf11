using Scute.Manifest.Tests.Support;
using Xunit;

namespace Scute.Manifest.Tests;

public class FullManifestTests
{
    private static readonly EnvironmentManifest M = Samples.Parse(Samples.Full);

    [Fact]
    public void Top_level_and_base()
    {
        Assert.Equal(1, M.ManifestVersion);
        Assert.Equal("docker.io/library/debian:12.8", M.BaseImage);
        Assert.Equal("/project/scute.toml", M.SourcePath);
        Assert.Equal("/project", M.SourceFolder);
    }

    [Fact]
    public void Packages_and_apps_are_trimmed_sorted_and_deduplicated()
    {
        Assert.Equal(["build-essential", "curl", "git"], M.Packages);
        Assert.Equal(["code", "firefox"], M.Apps);
    }

    [Fact]
    public void Hardware()
    {
        Assert.True(M.Gpu);
        Assert.False(M.Audio);
    }

    [Fact]
    public void Mounts_are_sorted_by_label_and_expanded()
    {
        Assert.Equal(["cache", "data", "workspace"], M.Mounts.Select(m => m.Label));
        var home = Environment.GetEnvironmentVariable("HOME")!.TrimEnd('/');

        var cache = M.Mounts[0];
        Assert.Equal("~/.cache/app:/home/app/.cache/", cache.Written);
        Assert.Equal("~/.cache/app", cache.HostPathWritten);
        Assert.Equal(home + "/.cache/app", cache.HostPath);
        Assert.Equal("/home/app/.cache", cache.ContainerPath);
        Assert.False(cache.ReadOnly);

        var data = M.Mounts[1];
        Assert.Equal("/srv/data", data.HostPath);
        Assert.Equal("/data", data.ContainerPath);
        Assert.True(data.ReadOnly);

        var workspace = M.Mounts[2];
        Assert.Equal("./", workspace.HostPathWritten);
        Assert.Equal("/project", workspace.HostPath);
        Assert.Equal("/workspace", workspace.ContainerPath);
    }

    [Fact]
    public void Runtime_is_lower_cased()
    {
        Assert.Equal("podman", M.Runtime.Backend);
        Assert.True(M.Runtime.NetworkIsolation);
        Assert.Equal(512, M.Runtime.CpuShares);
        Assert.Equal(2048, M.Runtime.MemoryLimitMb);
    }

    [Fact]
    public void Security_with_capabilities_and_overrides()
    {
        var s = Assert.IsType<SecuritySection>(M.Security);
        Assert.Equal("strict", s.Profile);
        Assert.Equal(1001, s.User);
        Assert.Equal(1002, s.Group);
        Assert.False(s.ReadonlyRoot);
        Assert.True(s.NoNewPrivileges);
        Assert.Equal("default", s.Seccomp);
        Assert.Equal(["CHOWN", "NET_BIND_SERVICE"], s.Capabilities.Keys);
        Assert.Equal("serves HTTP on port 80 to the LAN", s.Capabilities["NET_BIND_SERVICE"]);
        Assert.Equal(["readonly_root"], s.Overrides.Keys);
        Assert.StartsWith("writes its cache", s.Overrides["readonly_root"], StringComparison.Ordinal);
    }

    [Fact]
    public void Key_lines_point_at_the_source()
    {
        Assert.Equal(1, M.KeyLines["manifest_version"]);
        Assert.Equal(17, M.KeyLines["mounts.workspace"]);
        Assert.Equal(29, M.KeyLines["security"]);
        Assert.Equal(31, M.KeyLines["security.user"]);
        Assert.Equal(38, M.KeyLines["security.capabilities.NET_BIND_SERVICE"]);
        Assert.Equal(39, M.KeyLines["security.capabilities.cap_chown"]);
        Assert.Equal(39, M.KeyLines["security.capabilities.CHOWN"]);
        Assert.Equal(42, M.KeyLines["security.overrides.readonly_root"]);
    }

    [Fact]
    public void Dotted_keys_and_inline_tables_mean_the_same_as_headers()
    {
        var dotted = Samples.Parse("""
            manifest_version = 1
            base.image = "docker.io/library/debian:12.8"
            runtime = { backend = "podman", network_isolation = true, resource_limits = { cpu_shares = 512 } }
            """);
        Assert.Equal("docker.io/library/debian:12.8", dotted.BaseImage);
        Assert.Equal("podman", dotted.Runtime.Backend);
        Assert.Equal(512, dotted.Runtime.CpuShares);
        Assert.Equal(3, dotted.KeyLines["runtime.resource_limits.cpu_shares"]);
    }
}
