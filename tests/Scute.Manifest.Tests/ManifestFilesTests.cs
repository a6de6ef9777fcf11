using Scute.Manifest.Tests.Support;
using Xunit;

namespace Scute.Manifest.Tests;

public class ManifestFilesTests
{
    [Fact]
    public void Scute_toml_is_preferred_over_karapace_toml()
    {
        using var folder = new TempFolder();
        folder.Write("karapace.toml", Samples.Karapace);
        var scute = folder.Write("scute.toml", Samples.Minimal);
        Assert.Equal(scute, ManifestFiles.FindDefault(folder.Path));
    }

    [Fact]
    public void Karapace_toml_is_used_when_alone()
    {
        using var folder = new TempFolder();
        var karapace = folder.Write("karapace.toml", Samples.Karapace);
        Assert.Equal(karapace, ManifestFiles.FindDefault(folder.Path));
    }

    [Fact]
    public void Neither_file_is_an_error_naming_both()
    {
        using var folder = new TempFolder();
        var ex = Assert.Throws<ManifestException>(() => ManifestFiles.FindDefault(folder.Path));
        Assert.Contains("scute.toml", ex.Message, StringComparison.Ordinal);
        Assert.Contains("karapace.toml", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Theory]
    [InlineData("/p/scute.toml", "/p/scute.lock")]
    [InlineData("/p/karapace.toml", "/p/karapace.lock")]
    [InlineData("/p/web.toml", "/p/web.lock")]
    [InlineData("web.toml", "web.lock")]
    public void Lock_is_named_after_the_manifest(string manifest, string expected)
    {
        Assert.Equal(expected, ManifestFiles.LockPathFor(manifest));
    }
}
