using Scute.Images.Oci;
using static Scute.Images.Tests.Oci.OciTestImages;

namespace Scute.Images.Tests.Oci;

/// <summary>Layers applied in order with whiteouts, and a hostile-layer corpus refused or neutralised.</summary>
public sealed class LayerApplierTests : IDisposable
{
    private readonly TempDir temp = new();

    public void Dispose() => temp.Dispose();

    private string Rootfs => temp.Combine("rootfs");

    private void Apply(byte[] layer, string? mediaType = TarLayer)
    {
        Directory.CreateDirectory(Rootfs);
        LayerApplier.Apply(new MemoryStream(layer), mediaType, Rootfs, "test layer");
    }

    [Fact]
    public void Whiteout_removes_a_file_and_a_folder_of_a_lower_layer()
    {
        Apply(Tar(Dir("etc/"), File("etc/gone", "1"), File("etc/kept", "2"), Dir("opt/"), Dir("opt/tree/"), File("opt/tree/deep", "3")));
        Apply(Tar(File("etc/.wh.gone", ""), File("opt/.wh.tree", "")));

        Assert.False(System.IO.File.Exists(Path.Combine(Rootfs, "etc/gone")));
        Assert.False(System.IO.File.Exists(Path.Combine(Rootfs, "etc/.wh.gone")));
        Assert.True(System.IO.File.Exists(Path.Combine(Rootfs, "etc/kept")));
        Assert.False(Directory.Exists(Path.Combine(Rootfs, "opt/tree")));
        Assert.False(System.IO.File.Exists(Path.Combine(Rootfs, "opt/.wh.tree")));
    }

    [Fact]
    public void Opaque_marker_empties_the_folder_of_lower_layers_but_keeps_its_own_entries()
    {
        Apply(Tar(Dir("var/"), File("var/old", "1"), Dir("var/sub/"), File("var/sub/old", "2")));
        Apply(Tar(Dir("var/"), File("var/new", "3"), File("var/.wh..wh..opq", "")));

        Assert.Equal(["new"], Directory.EnumerateFileSystemEntries(Path.Combine(Rootfs, "var")).Select(Path.GetFileName));
    }

    [Fact]
    public void A_later_layer_replaces_a_folder_with_a_file()
    {
        Apply(Tar(Dir("data/"), File("data/inner", "1")));
        Apply(Tar(File("data", "now a file")));

        Assert.Equal("now a file", System.IO.File.ReadAllText(Path.Combine(Rootfs, "data")));
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("zstd")]
    [InlineData("none")]
    public void Gzip_zstd_and_plain_layers_apply_by_media_type_and_magic(string compression)
    {
        var tar = Tar(File("hello", "world"));
        var (bytes, mediaType) = compression switch
        {
            "gzip" => (Gzip(tar), GzipLayer),
            "zstd" => (Zstd(tar), ZstdLayer),
            _ => (tar, TarLayer),
        };

        Apply(bytes, mediaType);
        Apply(Tar(File("again", "1")), mediaType: null);

        Assert.Equal("world", System.IO.File.ReadAllText(Path.Combine(Rootfs, "hello")));
        Assert.True(System.IO.File.Exists(Path.Combine(Rootfs, "again")));
    }

    [Fact]
    public void A_layer_whose_bytes_contradict_its_media_type_is_refused()
    {
        var e = Assert.Throws<ImageException>(() => Apply(Tar(File("a")), GzipLayer));
        Assert.Contains("declared as Gzip", e.Message);
    }

    [Fact]
    public void A_non_layer_media_type_is_refused()
    {
        var e = Assert.Throws<ImageException>(() => Apply(Tar(File("a")), "application/vnd.in-toto+json"));
        Assert.Contains("not an image layer", e.Message);
    }

    [Fact]
    public void A_file_written_through_a_symlink_from_the_layer_below_is_refused()
    {
        var outside = temp.Combine("outside");
        Directory.CreateDirectory(outside);
        Apply(Tar(Symlink("escape", outside)));

        var e = Assert.Throws<ImageException>(() => Apply(Tar(File("escape/planted", "pwned"))));

        Assert.Contains("symlink", e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
    }

    [Theory]
    [InlineData("../escaped")]
    [InlineData("a/../../escaped")]
    [InlineData("/abs/escaped")]
    public void Dot_dot_and_absolute_names_are_refused(string name)
    {
        var e = Assert.Throws<ImageException>(() => Apply(Tar(File(name, "x"))));

        Assert.Contains("unsafe archive entry", e.Message);
        Assert.False(System.IO.File.Exists(temp.Combine("escaped")));
    }

    [Fact]
    public void A_hardlink_to_outside_is_refused()
    {
        var victim = temp.Combine("victim");
        System.IO.File.WriteAllText(victim, "secret");

        var e = Assert.Throws<ImageException>(() => Apply(Tar(Hardlink("link", "../victim"))));

        Assert.Contains("..", e.Message);
        Assert.False(System.IO.File.Exists(Path.Combine(Rootfs, "link")));
    }

    [Fact]
    public void A_hardlink_to_a_file_of_a_lower_layer_is_refused()
    {
        Apply(Tar(File("lower", "1")));

        Assert.Throws<ImageException>(() => Apply(Tar(Hardlink("link", "lower"))));
    }

    [Theory]
    [InlineData(".wh...")]
    [InlineData("etc/.wh...")]
    [InlineData("etc/.wh..")]
    public void A_whiteout_naming_dot_or_dot_dot_is_refused(string name)
    {
        Apply(Tar(Dir("etc/"), File("etc/passwd", "root")));

        var e = Assert.Throws<ImageException>(() => Apply(Tar(File(name, ""))));

        Assert.Contains("whiteout", e.Message);
        Assert.True(System.IO.File.Exists(Path.Combine(Rootfs, "etc/passwd")));
    }

    [Fact]
    public void A_whiteout_through_a_symlink_is_refused_and_deletes_nothing_outside()
    {
        var outside = temp.Combine("outside");
        Directory.CreateDirectory(outside);
        System.IO.File.WriteAllText(Path.Combine(outside, "precious"), "keep me");
        Apply(Tar(Symlink("link", outside)));

        Assert.Throws<ImageException>(() => Apply(Tar(File("link/.wh.precious", ""))));
        Assert.Throws<ImageException>(() => Apply(Tar(File("link/.wh..wh..opq", ""))));

        Assert.Equal("keep me", System.IO.File.ReadAllText(Path.Combine(outside, "precious")));
    }

    [Fact]
    public void A_whiteout_of_a_symlink_removes_the_link_not_its_target()
    {
        var outside = temp.Combine("outside");
        Directory.CreateDirectory(outside);
        System.IO.File.WriteAllText(Path.Combine(outside, "precious"), "keep me");
        Apply(Tar(Symlink("link", outside)));

        Apply(Tar(File(".wh.link", "")));

        Assert.Null(new FileInfo(Path.Combine(Rootfs, "link")).LinkTarget);
        Assert.Equal("keep me", System.IO.File.ReadAllText(Path.Combine(outside, "precious")));
    }

    [Fact]
    public void Device_nodes_are_not_created()
    {
        Apply(Tar(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.CharacterDevice, "dev-null") { DeviceMajor = 1, DeviceMinor = 3 }, File("ok")));

        Assert.False(Path.Exists(Path.Combine(Rootfs, "dev-null")));
        Assert.True(System.IO.File.Exists(Path.Combine(Rootfs, "ok")));
    }
}
