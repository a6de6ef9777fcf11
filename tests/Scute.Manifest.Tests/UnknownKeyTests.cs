using Scute.Manifest.Tests.Support;
using Xunit;

namespace Scute.Manifest.Tests;

public class UnknownKeyTests
{
    [Theory]
    [InlineData("[system]\npackages = []\nrepos = []\n", 6, "system.repos")]
    [InlineData("[gui]\nwindows = 2\n", 5, "gui.windows")]
    [InlineData("[hardware]\ngpu = true\nusb = true\n", 6, "hardware.usb")]
    [InlineData("[runtime]\nengine = \"x\"\n", 5, "runtime.engine")]
    [InlineData("[runtime.resource_limits]\ncpu_shares = 1\npids = 10\n", 6, "runtime.resource_limits.pids")]
    [InlineData("[security]\nprivileged = true\n", 5, "security.privileged")]
    [InlineData("[extra]\n", 4, "extra")]
    [InlineData("[[extra]]\n", 4, "extra")]
    public void Unknown_key_names_key_line_and_accepted_keys(string extra, int line, string key)
    {
        var ex = ErrorAssert.Fails(Samples.Minimal + "\n" + extra, line, key);
        Assert.Contains("unknown key", ex.Message, StringComparison.Ordinal);
        Assert.NotEmpty(ex.Accepted);
    }

    [Fact]
    public void Unknown_top_level_key()
    {
        ErrorAssert.Fails("colour = 1\n" + Samples.Minimal, 1, "colour");
    }

    [Fact]
    public void Unknown_key_in_base()
    {
        ErrorAssert.Fails(Samples.Minimal + "\ntag = \"x\"\n", 4, "base.tag");
    }

    [Fact]
    public void Accepted_keys_are_listed()
    {
        var ex = ErrorAssert.Fails(Samples.Minimal + "\n[runtime]\nbackend = \"oci\"\nmemory = 1\n", 6, "runtime.memory");
        Assert.Equal("backend, network_isolation, resource_limits", ex.Accepted);
        Assert.EndsWith("(accepted: backend, network_isolation, resource_limits)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_key_inside_inline_table()
    {
        ErrorAssert.Fails("runtime = { resource_limits = { cpus = 2 } }\n" + Samples.Minimal, 1, "runtime.resource_limits.cpus");
    }

    [Theory]
    [InlineData("[mounts]\n\"bad label\" = \"/a:/b\"\n", 5, "mounts.bad label")]
    [InlineData("[security.overrides]\nReadOnly = \"because\"\n", 5, "security.overrides.ReadOnly")]
    [InlineData("[security.capabilities]\n\"NET-ADMIN\" = \"because\"\n", 5, "security.capabilities.NET-ADMIN")]
    public void Free_form_tables_check_their_key_shape(string extra, int line, string key)
    {
        ErrorAssert.Fails(Samples.Minimal + "\n" + extra, line, key);
    }

    [Fact]
    public void Any_lower_case_override_key_is_accepted_for_the_policy_layer_to_judge()
    {
        var m = Samples.Parse(Samples.Minimal + "\n[security.overrides]\nsome_future_field = \"reason\"\n");
        Assert.Equal("reason", m.Security!.Overrides["some_future_field"]);
    }
}
