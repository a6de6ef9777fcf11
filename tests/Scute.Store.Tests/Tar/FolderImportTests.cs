using System.Security.Cryptography;
using Scute.Store.Tar;

namespace Scute.Store.Tests.Tar;

/// <summary>
/// One read of a folder gives the store its tar and its unpacked copy at once: the same bytes as
/// packing alone, the same tree as unpacking those bytes, and the tree digest of that tree; a failure
/// on either side is reported as itself and leaves nothing staged.
/// </summary>
public class FolderImportTests
{
    [Fact]
    public void Gives_the_packers_bytes_the_unpacked_tree_and_its_digest()
    {
        using var tmp = new TempDir();
        var store = ScuteStore.OpenOrCreate(tmp.Combine("store"));
        var source = MakeTree(tmp.Combine("source"));
        var rootfs = tmp.Combine("rootfs");

        var import = FolderImport.PackAndExtract(store.Objects, source, rootfs);
        using (import.Tar)
        {
            // Streamed through files, not memory: other tests in this run measure allocations.
            var packed = tmp.Combine("packed.tar");
            using (var file = File.Create(packed))
            {
                DeterministicTarPacker.PackAsExtracted(source, file);
            }

            Assert.Equal(HashOf(packed), import.Tar.Digest.Hex);
            using var staged = import.Tar.OpenRead();
            staged.ReadToEndAndVerify();
        }

        Assert.Equal(TreeDigest.Compute(rootfs), import.TreeDigest);
        Assert.Equal(TreeDigest.Compute(source), import.TreeDigest);
        Assert.Equal(HashOf(Path.Combine(source, "big.bin")), HashOf(Path.Combine(rootfs, "big.bin")));
        Assert.Empty(Directory.GetFileSystemEntries(store.Layout.StagingDir));
    }

    [Fact]
    public void A_source_that_cannot_be_read_is_the_error_and_nothing_is_staged()
    {
        using var tmp = new TempDir();
        var store = ScuteStore.OpenOrCreate(tmp.Combine("store"));

        Assert.Throws<DirectoryNotFoundException>(() => FolderImport.PackAndExtract(store.Objects, tmp.Combine("missing"), tmp.Combine("rootfs")));
        Assert.Empty(Directory.GetFileSystemEntries(store.Layout.StagingDir));
    }

    [Fact]
    public void An_extraction_that_fails_is_the_error_not_the_packers_broken_pipe()
    {
        using var tmp = new TempDir();
        var store = ScuteStore.OpenOrCreate(tmp.Combine("store"));
        var source = MakeTree(tmp.Combine("source"));
        File.WriteAllText(tmp.Combine("file"), "not a folder");

        var e = Assert.ThrowsAny<IOException>(() => FolderImport.PackAndExtract(store.Objects, source, tmp.Combine("file", "rootfs")));
        Assert.DoesNotContain("pipe", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(Directory.GetFileSystemEntries(store.Layout.StagingDir));
    }

    [Fact]
    public void Discard_removes_an_unpacked_tree_with_read_only_folders()
    {
        using var tmp = new TempDir();
        var rootfs = tmp.Combine("rootfs");
        Directory.CreateDirectory(Path.Combine(rootfs, "ro", "inner"));
        File.WriteAllText(Path.Combine(rootfs, "ro", "inner", "f"), "x");
        File.SetUnixFileMode(Path.Combine(rootfs, "ro", "inner"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
        File.SetUnixFileMode(Path.Combine(rootfs, "ro"), UnixFileMode.UserRead | UnixFileMode.UserExecute);

        FolderImport.Discard(rootfs);

        Assert.False(Directory.Exists(rootfs));
    }

    private static string HashOf(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }

    private static string MakeTree(string root)
    {
        Directory.CreateDirectory(Path.Combine(root, "etc", "deep", "er"));
        File.WriteAllText(Path.Combine(root, "etc", "hostname"), "box\n");
        File.WriteAllText(Path.Combine(root, "etc", "deep", "er", "x"), "");
        File.CreateSymbolicLink(Path.Combine(root, "link"), "etc/hostname");
        // Larger than every buffer and pipe on the way, so both sides wait on each other.
        using (var big = File.Create(Path.Combine(root, "big.bin")))
        {
            var chunk = new byte[64 * 1024];
            for (var i = 0; i < 40; i++)
            {
                RandomNumberGenerator.Fill(chunk);
                big.Write(chunk);
            }

            big.Write(chunk.AsSpan(0, 123));
        }

        File.SetUnixFileMode(Path.Combine(root, "etc", "hostname"), (UnixFileMode)0b110_100_000);
        return root;
    }
}
