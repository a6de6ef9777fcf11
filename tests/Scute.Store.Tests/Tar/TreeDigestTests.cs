using Scute.Store.Tar;

namespace Scute.Store.Tests.Tar;

public class TreeDigestTests
{
    private static string MakeTree(TempDir tmp, string name)
    {
        var root = tmp.Combine(name);
        Directory.CreateDirectory(Path.Combine(root, "d"));
        File.WriteAllText(Path.Combine(root, "d", "f"), "content");
        File.CreateSymbolicLink(Path.Combine(root, "l"), "d/f");
        return root;
    }

    [Fact]
    public void Times_and_owners_do_not_matter()
    {
        using var tmp = new TempDir();
        var a = MakeTree(tmp, "a");
        var b = MakeTree(tmp, "b");
        File.SetLastWriteTimeUtc(Path.Combine(b, "d", "f"), new DateTime(1999, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        if (Environment.UserName == "root")
        {
            File.SetUnixFileMode(Path.Combine(b, "d", "f"), File.GetUnixFileMode(Path.Combine(a, "d", "f")));
            System.Diagnostics.Process.Start("chown", ["-h", "1234:1234", Path.Combine(b, "d", "f")]).WaitForExit();
        }

        Assert.Equal(TreeDigest.Compute(a), TreeDigest.Compute(b));
    }

    [Fact]
    public void Symlink_target_mode_and_name_matter()
    {
        using var tmp = new TempDir();
        var baseline = TreeDigest.Compute(MakeTree(tmp, "a"));

        var link = MakeTree(tmp, "link");
        File.Delete(Path.Combine(link, "l"));
        File.CreateSymbolicLink(Path.Combine(link, "l"), "d/g");
        Assert.NotEqual(baseline, TreeDigest.Compute(link));

        var mode = MakeTree(tmp, "mode");
        File.SetUnixFileMode(Path.Combine(mode, "d"), (UnixFileMode)0b111_000_000);
        Assert.NotEqual(baseline, TreeDigest.Compute(mode));

        var renamed = MakeTree(tmp, "renamed");
        File.Move(Path.Combine(renamed, "d", "f"), Path.Combine(renamed, "d", "g"));
        Assert.NotEqual(baseline, TreeDigest.Compute(renamed));
    }

    [Fact]
    public void Encoding_is_injective_across_name_and_content_boundaries()
    {
        // "ab" holding "c" vs "a" holding "bc": naive concatenation would collide.
        using var tmp = new TempDir();
        Directory.CreateDirectory(tmp.Combine("x"));
        Directory.CreateDirectory(tmp.Combine("y"));
        File.WriteAllText(tmp.Combine("x", "ab"), "c");
        File.WriteAllText(tmp.Combine("y", "a"), "bc");
        Assert.NotEqual(TreeDigest.Compute(tmp.Combine("x")), TreeDigest.Compute(tmp.Combine("y")));
    }

    [Fact]
    public void Large_files_stream_in_constant_memory()
    {
        using var tmp = new TempDir();
        var root = tmp.Combine("big");
        Directory.CreateDirectory(root);
        using (var f = new FileStream(Path.Combine(root, "sparse"), FileMode.CreateNew))
        {
            f.SetLength(256L * 1024 * 1024);
        }

        // This thread's allocations: the walk and the packer run on it alone, and tests running in
        // parallel (the extractor's, which allocate hundreds of MB) must not count.
        var before = GC.GetAllocatedBytesForCurrentThread();
        TreeDigest.Compute(root);
        using (var sink = new HashingSink())
        {
            DeterministicTarPacker.Pack(root, sink);
            Assert.True(sink.Length > 256L * 1024 * 1024);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 32L * 1024 * 1024, $"allocated {allocated} bytes");
    }

    /// <summary>Write-only stream that only counts, so the test itself does not buffer the tar.</summary>
    private sealed class HashingSink : Stream
    {
        private long _length;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;

        public override long Position
        {
            get => _length;
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => _length += count;

        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;
    }
}
