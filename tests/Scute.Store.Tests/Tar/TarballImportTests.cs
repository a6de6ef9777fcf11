using System.Diagnostics;
using System.Formats.Tar;
using FsCheck.Xunit;
using Scute.Store.Tar;

namespace Scute.Store.Tests.Tar;

/// <summary>
/// A tarball extracted with the packer's bytes made in the same pass: those bytes are only kept
/// when they are exactly the packer's tar of the extracted rootfs.
/// </summary>
public class TarballImportTests
{
    private static byte[] ReadAll(StagedObject staged)
    {
        using var read = staged.OpenRead();
        using var copy = new MemoryStream();
        read.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Imports <paramref name="tar"/> into a fresh store and rootfs; the one-pass bytes, or null when refused.</summary>
    private static byte[]? Import(TempDir tmp, Stream tar, string rootfs, out Digest? treeDigest)
    {
        var store = ScuteStore.OpenOrCreate(tmp.Combine("store-" + Guid.NewGuid().ToString("N")));
        var result = TarballImport.ExtractAndPack(store.Objects, tar, rootfs);
        treeDigest = result.TreeDigest;
        var bytes = result.RootfsTar is { } staged ? ReadAll(staged) : null;
        result.RootfsTar?.Dispose();
        Assert.Empty(Directory.GetFileSystemEntries(store.Layout.StagingDir));
        return bytes;
    }

    [Property(MaxTest = 40)]
    public void One_pass_bytes_of_a_walk_ordered_tar_are_the_packers_tar_of_the_rootfs(int seed)
    {
        using var tmp = new TempDir();
        RandomTree.Build(tmp.Combine("src"), seed);

        var bytes = Import(tmp, new MemoryStream(TarTestHelpers.Pack(tmp.Combine("src"))), tmp.Combine("dst"), out var digest);

        Assert.NotNull(bytes);
        Assert.Equal(TarTestHelpers.Pack(tmp.Combine("dst")), bytes);
        Assert.Equal(TreeDigest.Compute(tmp.Combine("dst")), digest);
    }

    [Property(MaxTest = 25)]
    public void One_pass_bytes_of_a_gnu_tar_archive_are_refused_or_the_packers_tar(int seed, bool sorted)
    {
        using var tmp = new TempDir();
        RandomTree.Build(tmp.Combine("src"), seed);
        var archive = tmp.Combine("src.tar");
        var tar = Process.Start(new ProcessStartInfo("tar", [.. sorted ? new[] { "--sort=name" } : [], "-C", tmp.Combine("src"), "-cf", archive, "."]) { RedirectStandardError = true })!;
        tar.WaitForExit();
        Assert.Equal(0, tar.ExitCode);

        using var file = File.OpenRead(archive);
        var bytes = Import(tmp, file, tmp.Combine("dst"), out _);

        if (bytes is not null)
        {
            Assert.Equal(TarTestHelpers.Pack(tmp.Combine("dst")), bytes);
        }
    }

    private static readonly string LongName = new('n', 120);

    /// <summary>Archives whose one-pass bytes must be kept (and equal the packer's) or refused, by name.</summary>
    public static TheoryData<string, bool, TarEntry[]> Archives => new()
    {
        { "not in walk order", false, [TarTestHelpers.File("b"), TarTestHelpers.File("a")] },
        { "parent folder not listed", false, [TarTestHelpers.File("d/f")] },
        { "folder after its children", false, [TarTestHelpers.File("d/f"), TarTestHelpers.Dir("d/")] },
        { "file listed twice", false, [TarTestHelpers.File("a"), TarTestHelpers.File("a", "again")] },
        { "file replaced by a folder listed after it", false, [TarTestHelpers.File("a"), TarTestHelpers.File("a-b"), TarTestHelpers.Dir("a/"), TarTestHelpers.File("a/x")] },
        { "symlink replaced by a folder", false, [TarTestHelpers.Link(TarEntryType.SymbolicLink, "a", "t"), TarTestHelpers.Dir("a/")] },
        { "hardlink", false, [TarTestHelpers.File("a"), TarTestHelpers.Link(TarEntryType.HardLink, "b", "a")] },
        { "sticky file", false, [TarTestHelpers.File("a", "x", (UnixFileMode)0b1_110_100_100)] },
        { "folder its owner cannot list", false, [TarTestHelpers.Dir("d/", (UnixFileMode)0b011_101_101)] },
        { "file its owner cannot read", false, [TarTestHelpers.File("a", "x", (UnixFileMode)0b010_100_100)] },
        { "setuid file, extracted without the bit", true, [TarTestHelpers.File("tool", "x", (UnixFileMode)0b100_111_101_101)] },
        { "setgid folder, extracted without the bit", true, [TarTestHelpers.Dir("d/", (UnixFileMode)0b10_111_101_101), TarTestHelpers.File("d/f")] },
        { "sticky folder", true, [TarTestHelpers.Dir("tmp/", (UnixFileMode)0b1_111_111_111)] },
        { "'.' entries", true, [TarTestHelpers.Dir("./"), TarTestHelpers.Dir("./a/"), TarTestHelpers.File("./a/f"), TarTestHelpers.File("./b")] },
        { "long names", true, [TarTestHelpers.Dir(LongName + "/"), TarTestHelpers.File(LongName + "/" + LongName, "long"), TarTestHelpers.Link(TarEntryType.SymbolicLink, "z", LongName + "/" + LongName)] },
        { "symlinks", true, [TarTestHelpers.Link(TarEntryType.SymbolicLink, "abs", "/etc/passwd"), TarTestHelpers.Link(TarEntryType.SymbolicLink, "up", "../x"), TarTestHelpers.Link(TarEntryType.SymbolicLink, "ü", "ü-target")] },
        { "empty files", true, [TarTestHelpers.File("a", ""), TarTestHelpers.Dir("d/"), TarTestHelpers.File("d/e", "")] },
        { "file sizes around a block", true, [TarTestHelpers.File("a", new string('a', 511)), TarTestHelpers.File("b", new string('b', 512)), TarTestHelpers.File("c", new string('c', 513))] },
        { "skipped fifo between files", true, [TarTestHelpers.File("a"), new PaxTarEntry(TarEntryType.Fifo, "b"), TarTestHelpers.File("c")] },
        { "folder names sorting around '/'", true, [TarTestHelpers.File("a-b"), TarTestHelpers.Dir("a/"), TarTestHelpers.File("a/x"), TarTestHelpers.File("a0")] },
        { "nothing", true, [] },
    };

    [Theory]
    [MemberData(nameof(Archives))]
    public void One_pass_bytes_are_refused_or_the_packers_tar_of_the_rootfs(string why, bool kept, TarEntry[] entries)
    {
        using var tmp = new TempDir();

        var bytes = Import(tmp, TarTestHelpers.Build(entries), tmp.Combine("dst"), out _);

        Assert.True(kept == bytes is not null, $"{why}: expected {(kept ? "kept" : "refused")}");
        if (bytes is not null)
        {
            Assert.Equal(TarTestHelpers.Pack(tmp.Combine("dst")), bytes);
        }
    }

    [Fact]
    public void Target_that_was_not_empty_gives_no_bytes()
    {
        using var tmp = new TempDir();
        Directory.CreateDirectory(tmp.Combine("dst"));
        File.WriteAllText(tmp.Combine("dst", "there-before"), "");

        Assert.Null(Import(tmp, TarTestHelpers.Build(TarTestHelpers.File("a")), tmp.Combine("dst"), out _));
    }

    [Fact]
    public void Refused_archive_leaves_nothing_staged()
    {
        using var tmp = new TempDir();
        var store = ScuteStore.OpenOrCreate(tmp.Combine("store"));

        Assert.Throws<UnsafeArchiveException>(() => TarballImport.ExtractAndPack(store.Objects, TarTestHelpers.Build(TarTestHelpers.File("a"), TarTestHelpers.File("../escape")), tmp.Combine("dst")));

        Assert.Empty(Directory.GetFileSystemEntries(store.Layout.StagingDir));
        Assert.Empty(Directory.GetFileSystemEntries(store.Layout.ObjectsDir));
    }

    [Fact]
    public void Truncated_archive_leaves_nothing_staged()
    {
        using var tmp = new TempDir();
        var store = ScuteStore.OpenOrCreate(tmp.Combine("store"));
        var whole = TarTestHelpers.Build(TarTestHelpers.File("a", new string('x', 5000))).ToArray();

        Assert.Throws<InvalidDataException>(() => TarballImport.ExtractAndPack(store.Objects, new MemoryStream(whole[..2048]), tmp.Combine("dst")));

        Assert.Empty(Directory.GetFileSystemEntries(store.Layout.StagingDir));
    }

    [Fact]
    public void Symlink_target_with_a_nul_is_refused()
    {
        using var pack = new StreamedTarPack(Stream.Null);

        pack.Entry(["l"], TreeEntryKind.Symlink, 0x1FF, 0, "a\0b");

        Assert.False(pack.Valid);
    }
}
