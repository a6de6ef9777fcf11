using Scute.Manifest.Tests.Support;
using Xunit;

namespace Scute.Manifest.Tests;

public class TypeErrorTests
{
    private const string Base = "[base]\nimage = \"x\"\n";

    [Theory]
    [InlineData("manifest_version = \"1\"\n" + Base, 1, "manifest_version", "a string")]
    [InlineData("manifest_version = 1\n[base]\nimage = 5\n", 3, "base.image", "an integer")]
    [InlineData("manifest_version = 1\nbase = \"x\"\n", 2, "base", "a string")]
    [InlineData("manifest_version = 1\n" + Base + "[system]\npackages = \"git\"\n", 5, "system.packages", "a string")]
    [InlineData("manifest_version = 1\n" + Base + "[system]\npackages = [\"git\",\n 3]\n", 6, "system.packages", "an integer")]
    [InlineData("manifest_version = 1\n" + Base + "[hardware]\ngpu = \"yes\"\n", 5, "hardware.gpu", "a string")]
    [InlineData("manifest_version = 1\n" + Base + "[hardware]\naudio = 1\n", 5, "hardware.audio", "an integer")]
    [InlineData("manifest_version = 1\n" + Base + "[mounts]\nw = 1\n", 5, "mounts.w", "an integer")]
    [InlineData("manifest_version = 1\n" + Base + "[runtime]\nbackend = true\n", 5, "runtime.backend", "a boolean")]
    [InlineData("manifest_version = 1\n" + Base + "[runtime]\nnetwork_isolation = \"no\"\n", 5, "runtime.network_isolation", "a string")]
    [InlineData("manifest_version = 1\n" + Base + "[runtime.resource_limits]\ncpu_shares = 1.5\n", 5, "runtime.resource_limits.cpu_shares", "a float")]
    [InlineData("manifest_version = 1\n" + Base + "[security]\nuser = \"1001\"\n", 5, "security.user", "a string")]
    [InlineData("manifest_version = 1\n" + Base + "[security]\nreadonly_root = 1\n", 5, "security.readonly_root", "an integer")]
    [InlineData("manifest_version = 1\n" + Base + "[security]\ncapabilities = [\"NET_ADMIN\"]\n", 5, "security.capabilities", "an array")]
    [InlineData("manifest_version = 1\n" + Base + "[security.capabilities]\nNET_ADMIN = true\n", 5, "security.capabilities.NET_ADMIN", "a boolean")]
    [InlineData("manifest_version = 1\n" + Base + "[security.overrides]\nuser = 0\n", 5, "security.overrides.user", "an integer")]
    public void Wrong_type_names_key_line_and_found_type(string toml, int line, string key, string found)
    {
        var ex = ErrorAssert.Fails(toml, line, key);
        Assert.Contains("expected ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("found " + found, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("manifest_version = 2\n" + Base, 1, "manifest_version")]
    [InlineData("manifest_version = 1\n[base]\nimage = \"  \"\n", 3, "base.image")]
    [InlineData("manifest_version = 1\n" + Base + "[runtime]\nbackend = \"docker\"\n", 5, "runtime.backend")]
    [InlineData("manifest_version = 1\n" + Base + "[runtime.resource_limits]\nmemory_limit_mb = 0\n", 5, "runtime.resource_limits.memory_limit_mb")]
    [InlineData("manifest_version = 1\n" + Base + "[runtime.resource_limits]\ncpu_shares = -1\n", 5, "runtime.resource_limits.cpu_shares")]
    [InlineData("manifest_version = 1\n" + Base + "[security]\nprofile = \"lax\"\n", 5, "security.profile")]
    [InlineData("manifest_version = 1\n" + Base + "[security]\nuser = -1\n", 5, "security.user")]
    [InlineData("manifest_version = 1\n" + Base + "[security]\ngroup = 4294967296\n", 5, "security.group")]
    [InlineData("manifest_version = 1\n" + Base + "[system]\npackages = [\"git\", \"  \"]\n", 5, "system.packages")]
    [InlineData("manifest_version = 1\n" + Base + "[gui]\napps = [\"a\\u001bb\"]\n", 5, "gui.apps")]
    [InlineData("manifest_version = 1\n" + Base + "[security.capabilities]\nNET_ADMIN = \"a\"\nCAP_NET_ADMIN = \"b\"\n", 6, "security.capabilities.CAP_NET_ADMIN")]
    public void Bad_value_names_key_and_line(string toml, int line, string key)
    {
        ErrorAssert.Fails(toml, line, key);
    }

    [Fact]
    public void Size_limits()
    {
        ErrorAssert.Fails("manifest_version = 1\n[base]\nimage = \"" + new string('a', 513) + "\"\n", 3, "base.image");
        ErrorAssert.Fails("manifest_version = 1\n" + Base + "[system]\npackages = [\"" + new string('a', 257) + "\"]\n", 5, "system.packages");
        ErrorAssert.Fails("manifest_version = 1\n" + Base + "[security.overrides]\nuser = \"" + new string('a', 4097) + "\"\n", 5, "security.overrides.user");
        var tooMany = string.Join(",", Enumerable.Range(0, 4097).Select(i => $"\"p{i}\""));
        ErrorAssert.Fails("manifest_version = 1\n" + Base + "[system]\npackages = [" + tooMany + "]\n", 5, "system.packages");
        var justEnough = string.Join(",", Enumerable.Range(0, 4096).Select(i => $"\"p{i}\""));
        Assert.Equal(4096, Samples.Parse("manifest_version = 1\n" + Base + "[system]\npackages = [" + justEnough + "]\n").Packages.Count);
    }
}
