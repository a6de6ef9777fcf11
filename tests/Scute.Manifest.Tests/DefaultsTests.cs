using Scute.Manifest.Tests.Support;
using Xunit;

namespace Scute.Manifest.Tests;

public class DefaultsTests
{
    [Fact]
    public void Minimal_manifest_gets_defaults()
    {
        var m = Samples.Parse(Samples.Minimal);
        Assert.Empty(m.Packages);
        Assert.Empty(m.Apps);
        Assert.False(m.Gpu);
        Assert.False(m.Audio);
        Assert.Empty(m.Mounts);
        Assert.Equal("namespace", m.Runtime.Backend);
        Assert.False(m.Runtime.NetworkIsolation);
        Assert.Null(m.Runtime.CpuShares);
        Assert.Null(m.Runtime.MemoryLimitMb);
        Assert.Null(m.Security);
    }

    [Fact]
    public void Empty_security_table_means_strict_with_nothing_set()
    {
        var m = Samples.Parse(Samples.Minimal + "\n[security]\n");
        var s = Assert.IsType<SecuritySection>(m.Security);
        Assert.Equal("strict", s.Profile);
        Assert.Null(s.User);
        Assert.Null(s.Group);
        Assert.Null(s.ReadonlyRoot);
        Assert.Null(s.NoNewPrivileges);
        Assert.Null(s.Seccomp);
        Assert.Empty(s.Capabilities);
        Assert.Empty(s.Overrides);
    }

    [Fact]
    public void Empty_tables_are_accepted()
    {
        var m = Samples.Parse(Samples.Minimal + "\n[system]\n[gui]\n[hardware]\n[mounts]\n[runtime]\n[runtime.resource_limits]\n");
        Assert.Empty(m.Packages);
        Assert.Equal("namespace", m.Runtime.Backend);
    }

    [Fact]
    public void Explicit_defaults_and_omitted_keys_have_the_same_canonical_form()
    {
        var explicitDefaults = Samples.Parse(Samples.Minimal + """

            [hardware]
            gpu = false
            audio = false
            [runtime]
            backend = "namespace"
            network_isolation = false
            """);
        Assert.Equal(CanonicalManifest.ToJson(Samples.Parse(Samples.Minimal)), CanonicalManifest.ToJson(explicitDefaults));
    }
}
