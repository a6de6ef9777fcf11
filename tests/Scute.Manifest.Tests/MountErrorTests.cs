using Scute.Manifest.Tests.Support;
using Xunit;

namespace Scute.Manifest.Tests;

public class MountErrorTests
{
    [Theory]
    [InlineData("\"/a\"")]
    [InlineData("\"\"")]
    [InlineData("\":/b\"")]
    [InlineData("\"/a:\"")]
    [InlineData("\"/a:/b:rx\"")]
    [InlineData("\"/a:/b:ro:x\"")]
    [InlineData("\"/a:b\"")]
    [InlineData("\"/a:workspace\"")]
    [InlineData("\"/a:/b/../../etc\"")]
    [InlineData("\"/a\\u0000b:/b\"")]
    [InlineData("\"~root/x:/b\"")]
    public void Bad_mount_strings_are_rejected(string value)
    {
        var ex = ErrorAssert.Fails(Samples.Minimal + "\n[mounts]\nw = " + value + "\n", 5, "mounts.w");
        Assert.NotEmpty(ex.Accepted);
    }

    [Fact]
    public void Relative_container_path_says_absolute()
    {
        var ex = ErrorAssert.Fails(Samples.Minimal + "\n[mounts]\nw = \"./:workspace\"\n", 5, "mounts.w");
        Assert.Contains("absolute", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_mounts_on_one_container_path()
    {
        ErrorAssert.Fails(Samples.Minimal + "\n[mounts]\na = \"/x:/w\"\nb = \"/y:/w/\"\n", 6, "mounts.b");
    }

    [Fact]
    public void Label_longer_than_64()
    {
        var label = new string('a', 65);
        ErrorAssert.Fails(Samples.Minimal + "\n[mounts]\n" + label + " = \"/x:/w\"\n", 5, "mounts." + label);
    }

    [Fact]
    public void Read_write_suffix_is_accepted()
    {
        var m = Samples.Parse(Samples.Minimal + "\n[mounts]\nw = \"../src:/src:rw\"\n");
        Assert.False(m.Mounts[0].ReadOnly);
        Assert.Equal("/src", m.Mounts[0].HostPath);
    }
}
