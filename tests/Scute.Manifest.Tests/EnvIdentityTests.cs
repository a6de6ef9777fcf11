using Scute.Manifest.Tests.Support;
using Xunit;

namespace Scute.Manifest.Tests;

public class EnvIdentityTests
{
    [Fact]
    public void Same_inputs_same_id()
    {
        var a = EnvIdentity.ComputeEnvId(Identities.From(Samples.Parse(Samples.Full)));
        var b = EnvIdentity.ComputeEnvId(Identities.From(Samples.Parse(Samples.Full)));
        Assert.Equal(a, b);
        Assert.Matches("^[0-9a-f]{64}$", a);
    }

    [Fact]
    public void Id_does_not_depend_on_where_the_manifest_lives()
    {
        using var first = new TempFolder();
        using var second = new TempFolder();
        var m1 = ManifestParser.ParseFile(first.Write("scute.toml", Samples.Karapace));
        var m2 = ManifestParser.ParseFile(second.Write("scute.toml", Samples.Karapace));

        Assert.NotEqual(m1.Mounts[0].HostPath, m2.Mounts[0].HostPath);
        Assert.Equal(EnvIdentity.ComputeEnvId(Identities.From(m1)), EnvIdentity.ComputeEnvId(Identities.From(m2)));
    }

    [Fact]
    public void Package_boundaries_are_unambiguous()
    {
        var ab = EnvIdentity.ComputeEnvId(Identities.Simple([new("ab", "1"), new("c", "1")]));
        var bc = EnvIdentity.ComputeEnvId(Identities.Simple([new("a", "1"), new("bc", "1")]));
        Assert.NotEqual(ab, bc);

        var nameVersion = EnvIdentity.ComputeEnvId(Identities.Simple([new("a1", "2")]));
        var nameVersion2 = EnvIdentity.ComputeEnvId(Identities.Simple([new("a", "12")]));
        Assert.NotEqual(nameVersion, nameVersion2);
    }

    [Fact]
    public void Package_order_does_not_matter()
    {
        var forward = EnvIdentity.ComputeEnvId(Identities.Simple([new("a", "1"), new("b", "2"), new("a", "0")]));
        var backward = EnvIdentity.ComputeEnvId(Identities.Simple([new("b", "2"), new("a", "0"), new("a", "1")]));
        Assert.Equal(forward, backward);
    }

    [Fact]
    public void Security_context_whitespace_does_not_matter_but_content_does()
    {
        var compact = Identities.Simple([]);
        var spaced = compact with { SecurityContextJson = "{ \"user\": \"invoking\",\n \"profile\": \"dev\" }" };
        var other = compact with { SecurityContextJson = """{"profile":"strict","user":1001}""" };
        Assert.Equal(EnvIdentity.ComputeEnvId(compact), EnvIdentity.ComputeEnvId(spaced));
        Assert.NotEqual(EnvIdentity.ComputeEnvId(compact), EnvIdentity.ComputeEnvId(other));
    }

    [Fact]
    public void Every_field_changes_the_id()
    {
        var baseline = Identities.From(Samples.Parse(Samples.Full));
        var variants = new[]
        {
            baseline with { BaseDigest = Identities.Digest.Replace('0', '1') },
            baseline with { Apps = ["other"] },
            baseline with { Gpu = !baseline.Gpu },
            baseline with { Audio = !baseline.Audio },
            baseline with { Mounts = baseline.Mounts.Skip(1).ToList() },
            baseline with { Backend = "mock" },
            baseline with { NetworkIsolation = !baseline.NetworkIsolation },
            baseline with { CpuShares = null },
            baseline with { MemoryLimitMb = 1 },
        };
        var ids = variants.Select(EnvIdentity.ComputeEnvId).Append(EnvIdentity.ComputeEnvId(baseline)).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void Short_id_is_the_first_twelve_hex()
    {
        var id = EnvIdentity.ComputeEnvId(Identities.Simple([]));
        var shortId = EnvIdentity.ShortId(id);
        Assert.Matches("^[0-9a-f]{12}$", shortId);
        Assert.Equal(id[..12], shortId);
        Assert.Throws<ArgumentException>(() => EnvIdentity.ShortId("XYZ"));
    }
}
