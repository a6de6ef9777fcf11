using Scute.Manifest.Tests.Support;
using Xunit;

namespace Scute.Manifest.Tests;

/// <summary>[security.overrides] "mounts.&lt;label&gt;": the override that lets one mount expose a secret location.</summary>
public class MountOverrideKeyTests
{
    private const string WithMount = Samples.Minimal + "\n[mounts]\nkeys = \"/home/alice/.ssh:/keys:ro\"\n[security.overrides]\n";

    [Fact]
    public void A_quoted_key_names_the_mount()
    {
        var m = Samples.Parse(WithMount + "\"mounts.keys\" = \"the deploy tool signs with it\"\n");

        Assert.Equal("the deploy tool signs with it", m.Security!.Overrides["mounts.keys"]);
        Assert.Equal(7, m.KeyLines["security.overrides.mounts.keys"]);
    }

    [Theory]
    [InlineData("mounts.keys = \"the deploy tool signs with it\"\n")]
    [InlineData("mounts = { keys = \"the deploy tool signs with it\" }\n")]
    public void The_dotted_forms_mean_the_same(string line)
    {
        var quoted = Samples.Parse(WithMount + "\"mounts.keys\" = \"the deploy tool signs with it\"\n");
        var dotted = Samples.Parse(WithMount + line);

        Assert.Equal(quoted.Security!.Overrides, dotted.Security!.Overrides);
        Assert.Equal(CanonicalManifest.ToJson(quoted), CanonicalManifest.ToJson(dotted));
    }

    [Fact]
    public void Both_forms_of_one_override_are_refused()
    {
        var ex = ErrorAssert.Fails(WithMount + "\"mounts.keys\" = \"the deploy tool signs with it\"\nmounts.keys = \"the deploy tool signs with it\"\n", 8, "security.overrides.mounts.keys");

        Assert.Contains("written twice", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"mounts.bad label\" = \"the deploy tool signs with it\"\n", "security.overrides.mounts.bad label")]
    [InlineData("\"mounts.\" = \"the deploy tool signs with it\"\n", "security.overrides.mounts.")]
    [InlineData("\"other.keys\" = \"the deploy tool signs with it\"\n", "security.overrides.other.keys")]
    public void Other_dotted_names_are_refused(string line, string key)
    {
        var ex = ErrorAssert.Fails(WithMount + line, 7, key);

        Assert.Contains("mounts.<label>", ex.Message, StringComparison.Ordinal);
    }
}
