using System.Formats.Tar;
using FsCheck.Xunit;
using Scute.Store.Tar;

namespace Scute.Store.Tests.Tar;

public class StreamedTreeDigestTests
{
    [Property(MaxTest = 30)]
    public void Digest_computed_while_extracting_a_packed_tree_is_the_walk_digest_of_the_result(int seed)
    {
        using var tmp = new TempDir();
        RandomTree.Build(tmp.Combine("src"), seed);

        var result = SafeTarExtractor.Extract(new MemoryStream(TarTestHelpers.Pack(tmp.Combine("src"))), tmp.Combine("dst"), new ExtractOptions { TreeDigest = true });

        Assert.NotNull(result.TreeDigest);
        Assert.Equal(TreeDigest.Compute(tmp.Combine("dst")), result.TreeDigest);
    }

    [Property(MaxTest = 30)]
    public void Packed_as_extracted_is_the_tar_of_the_extracted_tree(int seed)
    {
        using var tmp = new TempDir();
        RandomTree.Build(tmp.Combine("src"), seed);
        using var tar = new MemoryStream();

        DeterministicTarPacker.PackAsExtracted(tmp.Combine("src"), tar);
        SafeTarExtractor.Extract(new MemoryStream(TarTestHelpers.Pack(tmp.Combine("src"))), tmp.Combine("dst"));

        Assert.Equal(TarTestHelpers.Pack(tmp.Combine("dst")), tar.ToArray());
    }

    [SkippableFact]
    public void Packed_as_extracted_drops_setid_bits_and_whiteout_devices_and_nothing_else()
    {
        using var tmp = new TempDir();
        var src = tmp.Combine("src");
        Directory.CreateDirectory(Path.Combine(src, "d"));
        using (var mknod = System.Diagnostics.Process.Start("mknod", [Path.Combine(src, "d", "gone"), "c", "0", "0"]))
        {
            mknod.WaitForExit();
            Skip.If(mknod.ExitCode != 0, "mknod of a 0/0 character device is not allowed here");
        }

        File.WriteAllText(Path.Combine(src, "d", "tool"), "x");
        File.SetUnixFileMode(Path.Combine(src, "d", "tool"), (UnixFileMode)0b110_111_101_101);
        File.SetUnixFileMode(Path.Combine(src, "d"), (UnixFileMode)0b1_111_111_111);
        using var tar = new MemoryStream();

        DeterministicTarPacker.PackAsExtracted(src, tar);

        tar.Position = 0;
        using var reader = new TarReader(tar);
        var entries = new List<TarEntry>();
        while (reader.GetNextEntry() is { } entry)
        {
            entries.Add(entry);
        }

        Assert.Equal(["d/", "d/tool"], entries.Select(e => e.Name));
        Assert.Equal((UnixFileMode)0b1_111_111_111, entries[0].Mode);
        Assert.Equal((UnixFileMode)0b111_101_101, entries[1].Mode);
    }

    public static TheoryData<string, TarEntry[]> NotInWalkOrder => new()
    {
        { "out of order", [TarTestHelpers.File("b"), TarTestHelpers.File("a")] },
        { "parent folder not listed", [TarTestHelpers.File("d/f")] },
        { "file listed twice", [TarTestHelpers.File("a"), TarTestHelpers.File("a", "again")] },
        { "folder after its children", [TarTestHelpers.File("d/f"), TarTestHelpers.Dir("d/")] },
        // In order, yet the folder replaces the file "a" on disk.
        { "file replaced by a folder listed after it", [TarTestHelpers.File("a"), TarTestHelpers.File("a-b"), TarTestHelpers.Dir("a/"), TarTestHelpers.File("a/x")] },
        { "hardlink", [TarTestHelpers.File("a"), TarTestHelpers.Link(TarEntryType.HardLink, "b", "a")] },
        { "setgid folder", [TarTestHelpers.Dir("d/", (UnixFileMode)0b10_111_101_101)] },
    };

    [Theory]
    [MemberData(nameof(NotInWalkOrder))]
    public void Archive_not_listing_the_tree_in_walk_order_gives_no_digest(string why, TarEntry[] entries)
    {
        using var tmp = new TempDir();

        var result = SafeTarExtractor.Extract(TarTestHelpers.Build(entries), tmp.Combine("dst"), new ExtractOptions { TreeDigest = true, KeepSetuidBits = true });

        Assert.True(result.TreeDigest is null, why);
    }

    [Fact]
    public void Target_that_was_not_empty_gives_no_digest()
    {
        using var tmp = new TempDir();
        Directory.CreateDirectory(tmp.Combine("dst"));
        File.WriteAllText(tmp.Combine("dst", "there-before"), "");

        var result = SafeTarExtractor.Extract(TarTestHelpers.Build(TarTestHelpers.File("a")), tmp.Combine("dst"), new ExtractOptions { TreeDigest = true });

        Assert.Null(result.TreeDigest);
    }

    [Fact]
    public void Walk_order_archive_gives_the_walk_digest()
    {
        using var tmp = new TempDir();
        var tar = TarTestHelpers.Build(
            TarTestHelpers.Dir("a/"), TarTestHelpers.File("a/x", "1"), TarTestHelpers.File("a-b", "2"),
            TarTestHelpers.Dir("a0/"), TarTestHelpers.Link(TarEntryType.SymbolicLink, "a0/l", "../a/x"));

        var result = SafeTarExtractor.Extract(tar, tmp.Combine("dst"), new ExtractOptions { TreeDigest = true });

        Assert.Null(result.TreeDigest); // "a-b" sorts before "a/": this listing is not in walk order
        var ordered = TarTestHelpers.Build(
            TarTestHelpers.File("a-b", "2"), TarTestHelpers.Dir("a/"), TarTestHelpers.File("a/x", "1"),
            TarTestHelpers.Dir("a0/"), TarTestHelpers.Link(TarEntryType.SymbolicLink, "a0/l", "../a/x"));
        var again = SafeTarExtractor.Extract(ordered, tmp.Combine("dst2"), new ExtractOptions { TreeDigest = true });
        Assert.Equal(TreeDigest.Compute(tmp.Combine("dst2")), again.TreeDigest);
    }
}
