namespace Scute.Store.Tests;

/// <summary>Store-relative paths are built in one place: each lands in its entry, and a bad name never leaves it.</summary>
public sealed class StoreLayoutTests
{
    private readonly StoreLayout layout = new("/var/lib/scute-test");

    [Fact]
    public void Image_and_environment_parts_sit_inside_their_entry()
    {
        Assert.Equal("/var/lib/scute-test/images/debian-12/rootfs", layout.ImageRootfs("debian-12"));
        Assert.Equal("/var/lib/scute-test/images/debian-12/base-layer", layout.ImageBaseLayerFile("debian-12"));
        Assert.Equal("/var/lib/scute-test/images/debian-12/deps", layout.ImageDepsDir("debian-12"));
        Assert.Equal("/tmp/staged/digest", StoreLayout.DigestFileIn("/tmp/staged"));
    }

    [Theory]
    [InlineData("..")]
    [InlineData("a/../../etc")]
    [InlineData("")]
    public void A_name_that_would_leave_its_folder_is_refused(string name)
    {
        Assert.Throws<ArgumentException>(() => layout.ImageRootfs(name));
        Assert.Throws<ArgumentException>(() => layout.EnvDir(name));
    }
}
