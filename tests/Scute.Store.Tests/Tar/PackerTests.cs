using System.Diagnostics;
using System.Formats.Tar;
using FsCheck.Xunit;
using Scute.Store.Tar;

namespace Scute.Store.Tests.Tar;

public class PackerTests
{
    [Property(MaxTest = 30)]
    public void Same_tree_packed_twice_in_different_places_and_times_gives_same_bytes(int seed)
    {
        using var tmp = new TempDir();
        RandomTree.Build(tmp.Combine("one"), seed);
        RandomTree.Build(tmp.Combine("elsewhere", "two"), seed);
        RandomTree.Touch(tmp.Combine("one"), new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        RandomTree.Touch(tmp.Combine("elsewhere", "two"), new DateTime(2024, 6, 7, 8, 9, 10, DateTimeKind.Utc));

        var a = TarTestHelpers.Pack(tmp.Combine("one"));
        Thread.Sleep(5);
        var b = TarTestHelpers.Pack(tmp.Combine("elsewhere", "two"));
        Assert.Equal(a, b);
        Assert.Equal(TreeDigest.Compute(tmp.Combine("one")), TreeDigest.Compute(tmp.Combine("elsewhere", "two")));
    }

    [Property(MaxTest = 30)]
    public void Different_trees_give_different_digests(int seed, byte change)
    {
        using var tmp = new TempDir();
        RandomTree.Build(tmp.Combine("one"), seed);
        RandomTree.Build(tmp.Combine("two"), seed);
        var f0 = tmp.Combine("two", "f0");
        switch (change % 3)
        {
            case 0:
                File.WriteAllText(tmp.Combine("two", "extra-file"), "");
                break;
            case 1:
                File.AppendAllText(f0, "!");
                break;
            default:
                File.SetUnixFileMode(f0, File.GetUnixFileMode(f0) ^ UnixFileMode.UserExecute);
                break;
        }

        Assert.NotEqual(Digest.Compute(TarTestHelpers.Pack(tmp.Combine("one"))), Digest.Compute(TarTestHelpers.Pack(tmp.Combine("two"))));
        Assert.NotEqual(TreeDigest.Compute(tmp.Combine("one")), TreeDigest.Compute(tmp.Combine("two")));
    }

    [Property(MaxTest = 30)]
    public void Extracted_and_repacked_gives_same_bytes(int seed)
    {
        using var tmp = new TempDir();
        RandomTree.Build(tmp.Combine("src"), seed);
        var first = TarTestHelpers.Pack(tmp.Combine("src"));
        SafeTarExtractor.Extract(new MemoryStream(first), tmp.Combine("dst"), new ExtractOptions { KeepSetuidBits = true });
        Assert.Equal(first, TarTestHelpers.Pack(tmp.Combine("dst")));
        Assert.Equal(TreeDigest.Compute(tmp.Combine("src")), TreeDigest.Compute(tmp.Combine("dst")));
    }

    [Fact]
    public void Long_names_are_reproducible_across_seconds()
    {
        // Time-derived header fields would only show up when the clock second changes.
        using var tmp = new TempDir();
        var deep = tmp.Combine("t", new string('a', 120), new string('b', 120));
        Directory.CreateDirectory(deep);
        File.WriteAllText(Path.Combine(deep, new string('c', 130)), "x");
        File.CreateSymbolicLink(Path.Combine(deep, "l"), new string('t', 150));
        var first = TarTestHelpers.Pack(tmp.Combine("t"));
        Thread.Sleep(1100);
        Assert.Equal(first, TarTestHelpers.Pack(tmp.Combine("t")));
        Assert.DoesNotContain("PaxHeaders", System.Text.Encoding.ASCII.GetString(first), StringComparison.Ordinal);
    }

    [Fact]
    public void Entries_are_sorted_zeroed_and_typed()
    {
        using var tmp = new TempDir();
        var root = tmp.Combine("t");
        Directory.CreateDirectory(Path.Combine(root, "a", "b"));
        File.WriteAllText(Path.Combine(root, "a-b"), "1");
        File.WriteAllText(Path.Combine(root, "a", "b", "c"), "22");
        File.SetUnixFileMode(Path.Combine(root, "a", "b", "c"), (UnixFileMode)0b110_111_101_101);
        File.CreateSymbolicLink(Path.Combine(root, "link"), "../../anywhere");
        Process.Start("ln", [Path.Combine(root, "a-b"), Path.Combine(root, "hard")]).WaitForExit();

        using var reader = new TarReader(new MemoryStream(TarTestHelpers.Pack(root)));
        var entries = new List<TarEntry>();
        while (reader.GetNextEntry(copyData: true) is { } e)
        {
            entries.Add(e);
        }

        Assert.Equal(["a-b", "a/", "a/b/", "a/b/c", "hard", "link"], entries.Select(e => e.Name));
        Assert.All(entries, e =>
        {
            Assert.Equal(0, e.Uid);
            Assert.Equal(0, e.Gid);
            Assert.Equal(DateTimeOffset.UnixEpoch, e.ModificationTime);
            Assert.Equal("", ((PosixTarEntry)e).UserName);
        });
        Assert.Equal(TarEntryType.RegularFile, entries[4].EntryType);
        Assert.Equal(1, entries[4].Length);
        Assert.Equal("../../anywhere", entries[5].LinkName);
        Assert.Equal((UnixFileMode)0b110_111_101_101, entries[3].Mode);
    }

    [SkippableFact]
    public void Whiteout_devices_are_kept_and_sockets_fifos_skipped()
    {
        using var tmp = new TempDir();
        var root = tmp.Combine("t");
        Directory.CreateDirectory(root);
        var mknod = Process.Start("mknod", [Path.Combine(root, "gone"), "c", "0", "0"]);
        mknod.WaitForExit();
        Skip.If(mknod.ExitCode != 0, "mknod needs privileges");
        Process.Start("mkfifo", [Path.Combine(root, "pipe")]).WaitForExit();

        using var reader = new TarReader(new MemoryStream(TarTestHelpers.Pack(root)));
        var entry = reader.GetNextEntry();
        Assert.NotNull(entry);
        Assert.Equal("gone", entry.Name);
        Assert.Equal(TarEntryType.CharacterDevice, entry.EntryType);
        Assert.Null(reader.GetNextEntry());
    }

    [SkippableFact]
    public void Gnu_tar_can_list_the_output()
    {
        Skip.IfNot(File.Exists("/usr/bin/tar") || File.Exists("/bin/tar"), "no tar on this machine");
        using var tmp = new TempDir();
        RandomTree.Build(tmp.Combine("src"), 42);
        Directory.CreateDirectory(tmp.Combine("src", new string('d', 90), new string('e', 90)));
        File.WriteAllText(tmp.Combine("src", new string('d', 90), new string('e', 90), "file"), "deep");
        var tarPath = tmp.Combine("out.tar");
        File.WriteAllBytes(tarPath, TarTestHelpers.Pack(tmp.Combine("src")));

        var start = new ProcessStartInfo("tar", ["-tvf", tarPath]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var tar = Process.Start(start)!;
        var listing = tar.StandardOutput.ReadToEnd();
        var errors = tar.StandardError.ReadToEnd();
        tar.WaitForExit();
        Assert.True(tar.ExitCode == 0, errors);
        Assert.Contains("f0", listing, StringComparison.Ordinal);
        Assert.Contains(new string('e', 90) + "/file", listing, StringComparison.Ordinal);
    }
}
