using Xunit;

namespace Scute.Manifest.Tests;

public sealed class ImageReferenceTests
{
    private const string BaseFolder = "/tmp/project";

    [Fact]
    public void Builtin_busybox_is_a_builtin_named_busybox()
    {
        var r = ImageReference.Parse("builtin:busybox", BaseFolder);

        Assert.Equal(ImageSourceKind.Builtin, r.Kind);
        Assert.Equal("busybox", r.Location);
        Assert.Equal("builtin:busybox", r.Written);
    }

    [Theory]
    [InlineData("builtin:alpine")]
    [InlineData("builtin:")]
    [InlineData("builtin:BusyBox")]
    public void Unknown_builtin_is_refused_naming_the_accepted_one(string written)
    {
        var e = Assert.Throws<ImageReferenceException>(() => ImageReference.Parse(written, BaseFolder));

        Assert.Equal(written, e.Reference);
        Assert.Contains("builtin:busybox", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Empty_reference_is_refused(string written)
    {
        Assert.Throws<ImageReferenceException>(() => ImageReference.Parse(written, BaseFolder));
    }

    [Theory]
    [InlineData("file:///srv/images/rootfs.tar.gz", "/srv/images/rootfs.tar.gz")]
    [InlineData("file:///srv/my%20images/root.tar", "/srv/my images/root.tar")]
    public void File_url_is_a_local_path_unescaped(string written, string expected)
    {
        var r = ImageReference.Parse(written, BaseFolder);

        Assert.Equal(ImageSourceKind.LocalPath, r.Kind);
        Assert.Equal(expected, r.Location);
    }

    [Theory]
    [InlineData("/srv/rootfs.tar", "/srv/rootfs.tar")]
    [InlineData("/srv/a/../rootfs.tar", "/srv/rootfs.tar")]
    [InlineData("./rootfs.tar", "/tmp/project/rootfs.tar")]
    [InlineData("./images/rootfs", "/tmp/project/images/rootfs")]
    [InlineData("../rootfs.tar.xz", "/tmp/rootfs.tar.xz")]
    public void Absolute_and_relative_paths_resolve_against_the_base_folder(string written, string expected)
    {
        var r = ImageReference.Parse(written, BaseFolder);

        Assert.Equal(ImageSourceKind.LocalPath, r.Kind);
        Assert.Equal(expected, r.Location);
    }

    [Fact]
    public void Relative_path_depends_on_the_base_folder()
    {
        var a = ImageReference.Parse("./rootfs.tar", "/srv/one");
        var b = ImageReference.Parse("./rootfs.tar", "/srv/two");

        Assert.Equal("/srv/one/rootfs.tar", a.Location);
        Assert.Equal("/srv/two/rootfs.tar", b.Location);
    }

    [Fact]
    public void Tilde_path_expands_to_home()
    {
        var home = Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

        var r = ImageReference.Parse("~/images/rootfs.tar", BaseFolder);

        Assert.Equal(ImageSourceKind.LocalPath, r.Kind);
        Assert.Equal(Path.GetFullPath(Path.Combine(home, "images/rootfs.tar")), r.Location);
    }

    [Theory]
    [InlineData("http://example.com/rootfs.tar.gz")]
    [InlineData("https://example.com/rootfs.tar.xz#sha256=0123")]
    public void Http_urls_are_kept_as_written(string written)
    {
        var r = ImageReference.Parse(written, BaseFolder);

        Assert.Equal(ImageSourceKind.HttpUrl, r.Kind);
        Assert.Equal(written, r.Location);
    }

    [Theory]
    [InlineData("docker.io/library/debian:12.8")]
    [InlineData("ghcr.io/acme/tool:1.27-alpine")]
    [InlineData("debian:12.8")]
    [InlineData("debian@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("library/nginx:1.27")]
    [InlineData("quay.io/org/image")]
    public void Registry_references(string written)
    {
        var r = ImageReference.Parse(written, BaseFolder);

        Assert.Equal(ImageSourceKind.Registry, r.Kind);
        Assert.Equal(written, r.Location);
    }

    [Theory]
    [InlineData("debian/bookworm")]
    [InlineData("fedora/41")]
    [InlineData("rolling")]
    [InlineData("arch")]
    [InlineData("alpine")]
    public void Image_index_aliases(string written)
    {
        var r = ImageReference.Parse(written, BaseFolder);

        Assert.Equal(ImageSourceKind.Alias, r.Kind);
        Assert.Equal(written, r.Location);
    }

    [Fact]
    public void Alias_with_a_dotted_version_is_an_alias()
    {
        var r = ImageReference.Parse("ubuntu/24.04", BaseFolder);

        Assert.Equal(ImageSourceKind.Alias, r.Kind);
    }

    [Fact]
    public void Surrounding_whitespace_is_trimmed_but_written_is_kept()
    {
        var r = ImageReference.Parse("  builtin:busybox  ", BaseFolder);

        Assert.Equal(ImageSourceKind.Builtin, r.Kind);
        Assert.Equal("  builtin:busybox  ", r.Written);
    }
}
