using Scute.Manifest;
using System.Formats.Tar;
using Scute.Store;

namespace Scute.Images.Tests;

public sealed class LocalImageTests : IDisposable
{
    private readonly TempDir temp = new();

    public void Dispose() => temp.Dispose();

    private ScuteStore NewStore(string name = "store") => ScuteStore.OpenOrCreate(temp.Combine(name));

    private static ResolvedImage Resolve(ScuteStore store, string path) =>
        new ImageResolver(store).Resolve(ImageReference.Parse(path, "/"));

    private static void AssertRootfsContent(string rootfs)
    {
        Assert.Equal(Archives.OsRelease, File.ReadAllText(Path.Combine(rootfs, "etc/os-release")));
        Assert.Equal(Archives.Hello, File.ReadAllText(Path.Combine(rootfs, "bin/hello")));
        Assert.True(File.GetUnixFileMode(Path.Combine(rootfs, "bin/hello")).HasFlag(UnixFileMode.UserExecute));
        Assert.Equal("hello", new FileInfo(Path.Combine(rootfs, "bin/link")).LinkTarget);
    }

    private string MakeTarball(string compression)
    {
        var tool = Archives.ToolFor(compression);
        Skip.If(tool is not null && !Archives.HasTool(tool), $"the {tool} command line tool is not installed");
        var folder = temp.Combine("src-" + compression);
        Directory.CreateDirectory(folder);
        return Archives.MakeRootfs(folder, compression);
    }

    [SkippableTheory]
    [InlineData("tar")]
    [InlineData("gz")]
    [InlineData("xz")]
    [InlineData("zst")]
    public void Tarball_is_unpacked_into_the_store_cache(string compression)
    {
        var tarball = MakeTarball(compression);
        var store = NewStore();

        var image = Resolve(store, tarball);

        Assert.StartsWith(store.Layout.ImagesDir + "/", image.RootfsPath, StringComparison.Ordinal);
        Assert.StartsWith("tar-", image.Key, StringComparison.Ordinal);
        AssertRootfsContent(image.RootfsPath);
    }

    [SkippableTheory]
    [InlineData("tar")]
    [InlineData("gz")]
    [InlineData("xz")]
    [InlineData("zst")]
    public void Same_tarball_gives_the_same_digest_in_another_store(string compression)
    {
        var tarball = MakeTarball(compression);

        var a = Resolve(NewStore("a"), tarball);
        var b = Resolve(NewStore("b"), tarball);

        Assert.Equal(a.Key, b.Key);
        Assert.Equal(a.ContentDigest, b.ContentDigest);
        Assert.NotEqual(a.RootfsPath, b.RootfsPath);
    }

    [SkippableTheory]
    [InlineData("tar")]
    [InlineData("gz")]
    public void Second_resolve_hits_the_cache(string compression)
    {
        var tarball = MakeTarball(compression);
        var store = NewStore();
        var first = Resolve(store, tarball);
        // A marker the unpacker would never write: it survives only if the rootfs is reused.
        var marker = Path.Combine(first.RootfsPath, "cache-marker");
        File.WriteAllText(marker, "x");

        var second = Resolve(store, tarball);

        Assert.Equal(first, second);
        Assert.True(File.Exists(marker));
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Layout.StagingDir));
    }

    [Fact]
    public void Compressions_of_one_tar_have_one_content_digest_but_distinct_keys()
    {
        var plain = MakeTarball("tar");
        var gz = Archives.MakeRootfs(Path.GetDirectoryName(plain)!, "gz");
        var store = NewStore();

        var a = Resolve(store, plain);
        var b = Resolve(store, gz);

        Assert.Equal(a.ContentDigest, b.ContentDigest);
        Assert.NotEqual(a.Key, b.Key);
    }

    [Fact]
    public void Different_content_gives_a_different_digest()
    {
        var one = temp.Combine("one.tar");
        var two = temp.Combine("two.tar");
        Archives.WriteEntries(one, Archives.FileEntry("etc/hostname", "one\n"));
        Archives.WriteEntries(two, Archives.FileEntry("etc/hostname", "two\n"));
        var store = NewStore();

        Assert.NotEqual(Resolve(store, one).ContentDigest, Resolve(store, two).ContentDigest);
    }

    [Fact]
    public void Folder_is_packed_and_cached_by_content()
    {
        var folder = temp.Combine("rootfs-folder");
        Directory.CreateDirectory(Path.Combine(folder, "etc"));
        Directory.CreateDirectory(Path.Combine(folder, "bin"));
        File.WriteAllText(Path.Combine(folder, "etc/os-release"), Archives.OsRelease);
        File.WriteAllText(Path.Combine(folder, "bin/hello"), Archives.Hello);
        File.SetUnixFileMode(Path.Combine(folder, "bin/hello"), (UnixFileMode)0b111_101_101);
        File.CreateSymbolicLink(Path.Combine(folder, "bin/link"), "hello");
        var store = NewStore();

        var first = Resolve(store, folder);
        var second = Resolve(NewStore("other"), folder);

        Assert.StartsWith("folder-", first.Key, StringComparison.Ordinal);
        AssertRootfsContent(first.RootfsPath);
        Assert.Equal(first.Key, second.Key);
        Assert.Equal(first.ContentDigest, second.ContentDigest);
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Layout.StagingDir));

        // The tar the folder was imported through is the rootfs's own tar, kept for the base layer.
        using var repacked = new MemoryStream();
        Scute.Store.Tar.DeterministicTarPacker.Pack(first.RootfsPath, repacked);
        Assert.Equal(Digest.Compute(repacked.ToArray()), first.RootfsTar);
        Assert.True(store.Objects.Contains(first.RootfsTar!.Value));
    }

    [Fact]
    public void Folder_and_tarball_of_the_same_tree_have_the_same_content_digest()
    {
        var folder = temp.Combine("rootfs-folder");
        Directory.CreateDirectory(Path.Combine(folder, "etc"));
        File.WriteAllText(Path.Combine(folder, "etc/hostname"), "same\n");
        var tar = temp.Combine("same.tar");
        Archives.WriteEntries(tar, Archives.DirEntry("etc/"), Archives.FileEntry("etc/hostname", "same\n"));
        var store = NewStore();

        Assert.Equal(Resolve(store, folder).ContentDigest, Resolve(store, tar).ContentDigest);
    }

    private static byte[] PackerTarOf(string rootfs)
    {
        using var packed = new MemoryStream();
        Scute.Store.Tar.DeterministicTarPacker.Pack(rootfs, packed);
        return packed.ToArray();
    }

    [SkippableTheory]
    [InlineData("tar")]
    [InlineData("gz")]
    [InlineData("zst")]
    public void Tarball_in_walk_order_brings_the_rootfs_tar_made_while_extracting(string compression)
    {
        var tool = Archives.ToolFor(compression);
        Skip.If(tool is not null && !Archives.HasTool(tool), $"the {tool} command line tool is not installed");
        var tar = temp.Combine("sorted.tar");
        Archives.WriteEntries(
            tar,
            Archives.DirEntry("bin/"), Archives.FileEntry("bin/hello", Archives.Hello, (UnixFileMode)0b111_101_101),
            new PaxTarEntry(TarEntryType.SymbolicLink, "bin/link") { LinkName = "hello" },
            Archives.DirEntry("etc/"), Archives.FileEntry("etc/os-release", Archives.OsRelease));
        var path = compression switch
        {
            "gz" => tar + ".gz",
            "zst" => tar + ".zst",
            _ => tar,
        };
        if (compression == "gz")
        {
            Archives.Gzip(tar, path);
        }
        else if (tool is not null)
        {
            Archives.CompressWith(tool, tar, path);
        }

        var store = NewStore();

        var image = Resolve(store, path);

        AssertRootfsContent(image.RootfsPath);
        Assert.NotNull(image.RootfsTar);
        Assert.Equal(Digest.Compute(PackerTarOf(image.RootfsPath)), image.RootfsTar);
        Assert.True(store.Objects.Contains(image.RootfsTar!.Value));
        Assert.Equal(Providers.LocalImage.TarballKey(Digest.Compute(File.ReadAllBytes(path)).Hex), image.Key);
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Layout.StagingDir));
    }

    [Fact]
    public void Tarball_not_in_walk_order_brings_no_rootfs_tar_and_stages_nothing()
    {
        // etc/ before bin/: the packer's tar of this rootfs lists bin/ first.
        var tarball = MakeTarball("tar");
        var store = NewStore();

        var image = Resolve(store, tarball);

        AssertRootfsContent(image.RootfsPath);
        Assert.Null(image.RootfsTar);
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Layout.ObjectsDir));
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Layout.StagingDir));
    }

    [Fact]
    public void Missing_path_is_an_image_error_naming_it()
    {
        var missing = temp.Combine("nope.tar.gz");

        var e = Assert.Throws<ImageException>(() => Resolve(NewStore(), missing));

        Assert.IsNotType<ImageReferenceException>(e);
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tarball_with_a_dotdot_entry_is_refused_and_writes_nothing_outside()
    {
        var target = temp.Combine("inside");
        Directory.CreateDirectory(target);
        var tar = temp.Combine("evil.tar");
        Archives.WriteEntries(tar, Archives.FileEntry("../../escaped", "pwned"));
        var store = NewStore();

        var e = Assert.Throws<ImageException>(() => Resolve(store, tar));

        Assert.Contains(tar, e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(store.Layout.StagingDir, "escaped")));
        Assert.False(File.Exists(Path.Combine(store.Layout.StoreDir, "escaped")));
        Assert.False(File.Exists(temp.Combine("store", "escaped")));
        Assert.False(store.Layout.ImagesDir is var d && Directory.EnumerateDirectories(d).Any());
    }

    [Fact]
    public void Tarball_writing_through_a_symlink_is_refused()
    {
        var outside = temp.Combine("outside");
        Directory.CreateDirectory(outside);
        var tar = temp.Combine("evil-link.tar");
        Archives.WriteEntries(
            tar,
            new PaxTarEntry(TarEntryType.SymbolicLink, "etc") { LinkName = outside },
            Archives.FileEntry("etc/passwd", "pwned"));

        Assert.Throws<ImageException>(() => Resolve(NewStore(), tar));
        Assert.False(File.Exists(Path.Combine(outside, "passwd")));
    }

    [Fact]
    public void Truncated_tarball_is_an_image_error()
    {
        var full = Archives.RootfsTarBytes();
        var tar = temp.Combine("truncated.tar");
        // Cut inside the data of the first file entry.
        File.WriteAllBytes(tar, full[..1100]);

        Assert.Throws<ImageException>(() => Resolve(NewStore(), tar));
    }
}
