using Scute.Manifest.Tests.Support;
using Xunit;

namespace Scute.Manifest.Tests;

public class KarapaceCompatibilityTests
{
    [Fact]
    public void Karapace_v1_manifest_parses_unchanged_with_no_security()
    {
        using var folder = new TempFolder();
        var path = folder.Write("karapace.toml", Samples.Karapace);

        var m = ManifestParser.ParseFile(path);

        Assert.Equal("rolling", m.BaseImage);
        Assert.Equal(["curl", "git"], m.Packages);
        Assert.Equal(["ide"], m.Apps);
        Assert.True(m.Gpu);
        Assert.True(m.Audio);
        var mount = Assert.Single(m.Mounts);
        Assert.Equal("workspace", mount.Label);
        Assert.Equal(folder.Path, mount.HostPath);
        Assert.Equal("/workspace", mount.ContainerPath);
        Assert.Equal("namespace", m.Runtime.Backend);
        Assert.False(m.Runtime.NetworkIsolation);
        Assert.Equal(1024, m.Runtime.CpuShares);
        Assert.Equal(4096, m.Runtime.MemoryLimitMb);
        Assert.Null(m.Security);
        Assert.Equal(Path.GetFullPath(path), m.SourcePath);
    }
}
