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
    [InlineData("https://example.com/images/rootfs.tar.xz?build=3")]
    public void Http_urls_without_a_fragment_are_kept_as_written(string written)
    {
        var r = ImageReference.Parse(written, BaseFolder);

        Assert.Equal(ImageSourceKind.HttpUrl, r.Kind);
        Assert.Equal(written, r.Location);
        Assert.Null(r.Sha256);
        Assert.False(r.IsPinned);
    }

    [Fact]
    public void Http_url_sha256_fragment_is_the_expected_digest_and_pins_it()
    {
        var hex = new string('a', 32) + new string('0', 32);

        var r = ImageReference.Parse($"https://example.com/rootfs.tar.xz#sha256={hex}", BaseFolder);

        Assert.Equal(ImageSourceKind.HttpUrl, r.Kind);
        Assert.Equal("https://example.com/rootfs.tar.xz", r.Location);
        Assert.Equal(hex, r.Sha256);
        Assert.True(r.IsPinned);
    }

    [Theory]
    [InlineData("https://example.com/rootfs.tar.xz#sha256=0123", "64 lower-case hex")]
    [InlineData("https://example.com/rootfs.tar.xz#sha256=", "64 lower-case hex")]
    [InlineData("https://example.com/rootfs.tar.xz#sha256=ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789", "64 lower-case hex")]
    [InlineData("https://example.com/rootfs.tar.xz#sha512=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "#sha256=")]
    [InlineData("https://example.com/rootfs.tar.xz#top", "#sha256=")]
    [InlineData("https://user:secret@example.com/rootfs.tar.xz", "credentials")]
    [InlineData("https:///rootfs.tar.xz", "not a valid URL")]
    public void Malformed_http_urls_are_refused(string written, string expected)
    {
        var e = Assert.Throws<ImageReferenceException>(() => ImageReference.Parse(written, BaseFolder));

        Assert.Contains(expected, e.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("docker.io/library/debian:12.8", "docker.io", "library/debian", "12.8", null)]
    [InlineData("ghcr.io/acme/tool:1.27-alpine", "ghcr.io", "acme/tool", "1.27-alpine", null)]
    [InlineData("quay.io/org/image", "quay.io", "org/image", null, null)]
    [InlineData("localhost/app", "localhost", "app", null, null)]
    [InlineData("localhost:5000/team/app:v2", "localhost:5000", "team/app", "v2", null)]
    [InlineData("127.0.0.1:5000/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "127.0.0.1:5000", "app", null, "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("[::1]:5000/a/b__c.d-e:1.0", "[::1]:5000", "a/b__c.d-e", "1.0", null)]
    [InlineData("Registry.Example.com/x:1", "Registry.Example.com", "x", "1", null)]
    public void Registry_references_split_into_their_parts(string written, string registry, string repository, string? tag, string? digest)
    {
        var r = ImageReference.Parse(written, BaseFolder);

        Assert.Equal(ImageSourceKind.Registry, r.Kind);
        Assert.Equal(written, r.Location);
        Assert.Equal(new RegistryReference(registry, repository, tag, digest), r.Registry);
        Assert.Equal(written, r.Registry!.ToString());
    }

    [Theory]
    [InlineData("debian:12", "docker.io/library/debian:12")]
    [InlineData("nginx", "docker.io/library/nginx")]
    [InlineData("library/nginx", "docker.io/library/nginx")]
    [InlineData("acme/tool:1.2", "docker.io/acme/tool:1.2")]
    [InlineData("debian@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "docker.io/library/debian@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void Short_names_are_refused_suggesting_the_qualified_form(string written, string suggestion)
    {
        var e = Assert.Throws<ImageReferenceException>(() => ImageReference.Parse(written, BaseFolder));

        Assert.Contains("short name", e.Problem, StringComparison.Ordinal);
        Assert.Contains($"\"{suggestion}\"", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_short_name_that_starts_like_an_alias_lists_the_aliases()
    {
        var e = Assert.Throws<ImageReferenceException>(() => ImageReference.Parse("debian/bullseye", BaseFolder));

        Assert.Contains("docker.io/debian/bullseye", e.Problem, StringComparison.Ordinal);
        Assert.Contains("debian/bookworm", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_short_name_that_is_a_local_file_suggests_the_path_form()
    {
        var folder = Directory.CreateTempSubdirectory("scute-ref-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "rootfs.tar"), string.Empty);

            var e = Assert.Throws<ImageReferenceException>(() => ImageReference.Parse("rootfs.tar", folder));

            Assert.Contains("\"./rootfs.tar\"", e.Problem, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("debian/bookworm", "debian", "bookworm")]
    [InlineData("fedora/41", "fedora", "41")]
    [InlineData("rolling", "opensuse", "tumbleweed")]
    [InlineData("arch", "archlinux", "current")]
    [InlineData("ubuntu/24.04", "ubuntu", "noble")]
    [InlineData("leap", "opensuse", "15.6")]
    public void Image_index_aliases(string written, string os, string release)
    {
        var r = ImageReference.Parse(written, BaseFolder);

        Assert.Equal(ImageSourceKind.Alias, r.Kind);
        Assert.Equal(written, r.Location);
        Assert.Equal(new ImageAlias(written, os, release), r.Alias);
        Assert.False(r.IsPinned);
    }

    [Fact]
    public void Aliases_match_case_insensitively_as_in_Karapace()
    {
        var r = ImageReference.Parse("Ubuntu/Noble", BaseFolder);

        Assert.Equal(ImageSourceKind.Alias, r.Kind);
        Assert.Equal("ubuntu/noble", r.Location);
    }

    [Theory]
    [InlineData("alpine")]
    [InlineData("centos")]
    [InlineData("ubuntu/25.04")]
    public void Names_outside_the_alias_table_are_short_names(string written)
    {
        Assert.Throws<ImageReferenceException>(() => ImageReference.Parse(written, BaseFolder));
    }

    [Theory]
    [InlineData("docker.io/library/debian:12.8", true)]
    [InlineData("docker.io/library/debian:latest", false)]
    [InlineData("docker.io/library/debian", false)]
    [InlineData("docker.io/library/debian:bookworm", false)]
    [InlineData("registry.example.com/debian:stable", false)]
    [InlineData("docker.io/library/debian@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", true)]
    [InlineData("docker.io/library/debian:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", true)]
    [InlineData("builtin:busybox", true)]
    [InlineData("./rootfs.tar", true)]
    [InlineData("debian/bookworm", false)]
    public void Pinning(string written, bool pinned)
    {
        Assert.Equal(pinned, ImageReference.Parse(written, BaseFolder).IsPinned);
    }

    [Theory]
    [InlineData("oci:")]
    [InlineData("oci-archive::tag")]
    [InlineData("docker-archive:")]
    [InlineData("file://host/rootfs.tar")]
    public void Transports_without_a_path_are_refused(string written)
    {
        Assert.Throws<ImageReferenceException>(() => ImageReference.Parse(written, BaseFolder));
    }

    [Fact]
    public void Surrounding_whitespace_is_trimmed_but_written_is_kept()
    {
        var r = ImageReference.Parse("  builtin:busybox  ", BaseFolder);

        Assert.Equal(ImageSourceKind.Builtin, r.Kind);
        Assert.Equal("  builtin:busybox  ", r.Written);
    }
}
