using Scute.Manifest.Tests.Support;
using Xunit;

namespace Scute.Manifest.Tests;

public class RequiredKeyTests
{
    [Fact]
    public void Missing_manifest_version()
    {
        var ex = ErrorAssert.Fails("[base]\nimage = \"x\"\n", null, "manifest_version");
        Assert.Contains("missing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_base_table()
    {
        ErrorAssert.Fails("manifest_version = 1\n", null, "base.image");
    }

    [Fact]
    public void Missing_base_image_points_at_the_base_table()
    {
        ErrorAssert.Fails("manifest_version = 1\n\n[base]\n", 3, "base.image");
    }

    [Fact]
    public void Empty_document()
    {
        ErrorAssert.Fails(string.Empty, null, "manifest_version");
    }
}
