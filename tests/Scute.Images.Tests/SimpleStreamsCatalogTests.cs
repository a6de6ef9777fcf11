using Scute.Images.Providers.SimpleStreams;

namespace Scute.Images.Tests;

/// <summary>The catalog reader against a trimmed copy of what images.linuxcontainers.org serves (Fixtures/simplestreams).</summary>
public sealed class SimpleStreamsCatalogTests
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "simplestreams");

    private static FileStream Open(string name) => File.OpenRead(Path.Combine(Fixtures, name));

    private static RootfsItem Find(string product, string? version = null)
    {
        using var images = Open("images.json");
        return SimpleStreamsCatalog.FindRootfs(images, "images.json", product, version);
    }

    [Fact]
    public void The_index_names_the_image_catalog()
    {
        using var index = Open("index.json");

        Assert.Equal("streams/v1/images.json", SimpleStreamsCatalog.FindImagesPath(index, "index.json"));
    }

    [Fact]
    public void The_newest_version_with_a_root_tar_xz_is_chosen()
    {
        var item = Find("debian:bookworm:amd64:default");

        // 20251102_05:24 is newer but has no root.tar.xz.
        Assert.Equal(new RootfsItem("debian:bookworm:amd64:default", "20251101_05:24", "images/debian/bookworm/amd64/default/20251101_05:24/rootfs.tar.xz", new string('2', 64), 91512999), item);
    }

    [Fact]
    public void A_named_version_is_taken_as_named()
    {
        var item = Find("debian:bookworm:amd64:default", "20251030_05:24");

        Assert.Equal("20251030_05:24", item.Version);
        Assert.Equal(new string('1', 64), item.Sha256);
    }

    [Fact]
    public void The_architecture_and_variant_select_the_product()
    {
        Assert.Equal(new string('4', 64), Find("debian:bookworm:arm64:default").Sha256);
        Assert.Equal(new string('3', 64), Find("debian:bookworm:amd64:cloud").Sha256);
    }

    [Theory]
    [InlineData("ubuntu:noble:amd64:default", null, "no product ubuntu:noble:amd64:default")]
    [InlineData("debian:bookworm:amd64:default", "20240101_05:24", "no longer has version 20240101_05:24")]
    [InlineData("debian:bookworm:amd64:default", "20251102_05:24", "no longer has version 20251102_05:24")]
    [InlineData("fedora:41:amd64:default", null, "64-hex sha256")]
    public void Missing_or_malformed_entries_are_one_clear_error(string product, string? version, string expected)
    {
        var e = Assert.Throws<ImageException>(() => Find(product, version));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"index\": {}}")]
    [InlineData("{\"format\": \"index:1.0\"}")]
    [InlineData("[1, 2]")]
    [InlineData("{\"index\": {\"images\": {\"datatype\": \"image-downloads\"}}}")]
    [InlineData("not json")]
    public void An_index_without_an_image_catalog_is_refused(string json)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));

        Assert.Throws<ImageException>(() => SimpleStreamsCatalog.FindImagesPath(stream, "index.json"));
    }
}
