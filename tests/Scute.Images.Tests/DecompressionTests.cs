using System.Formats.Tar;
using System.IO.Compression;
using Scute.Images.Providers;

namespace Scute.Images.Tests;

public sealed class DecompressionTests : IDisposable
{
    private readonly TempDir temp = new();

    public void Dispose() => temp.Dispose();

    private static List<string> EntryNames(Stream tar)
    {
        var names = new List<string>();
        using var reader = new TarReader(tar, leaveOpen: true);
        while (reader.GetNextEntry() is { } entry)
        {
            names.Add(entry.Name);
        }

        return names;
    }

    private static readonly string[] ExpectedNames = ["etc/", "etc/os-release", "bin/", "bin/hello", "bin/link"];

    [Fact]
    public void Plain_tar_is_returned_readable_from_the_start()
    {
        using var raw = new MemoryStream(Archives.RootfsTarBytes());

        using var s = Decompression.Open(raw);

        Assert.Equal(ExpectedNames, EntryNames(s));
    }

    [Fact]
    public void Gzip_is_recognized_by_its_magic()
    {
        var compressed = new MemoryStream();
        using (var gz = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write(Archives.RootfsTarBytes());
        }

        compressed.Position = 0;

        using var s = Decompression.Open(compressed);

        Assert.IsType<GZipStream>(s);
        Assert.Equal(ExpectedNames, EntryNames(s));
    }

    [SkippableTheory]
    [InlineData("xz")]
    [InlineData("zst")]
    public void Xz_and_zstd_made_by_the_cli_tools_are_recognized(string compression)
    {
        var tool = Archives.ToolFor(compression)!;
        Skip.IfNot(Archives.HasTool(tool), $"the {tool} command line tool is not installed");
        var path = Archives.MakeRootfs(temp.Path, compression);

        using var file = File.OpenRead(path);
        using var s = Decompression.Open(file);

        Assert.NotSame(file, s);
        Assert.Equal(ExpectedNames, EntryNames(s));
    }

    [Fact]
    public void Non_seekable_gzip_input_is_buffered_and_still_recognized()
    {
        var compressed = new MemoryStream();
        using (var gz = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write(Archives.RootfsTarBytes());
        }

        using var raw = new ForwardOnly(compressed.ToArray());
        using var s = Decompression.Open(raw);

        Assert.Equal(ExpectedNames, EntryNames(s));
    }

    [Fact]
    public void Input_shorter_than_the_magic_is_passed_through()
    {
        using var raw = new MemoryStream([0x1F]);

        using var s = Decompression.Open(raw);

        Assert.Equal(0, s.Position);
        Assert.Equal(0x1F, s.ReadByte());
    }

    /// <summary>A read-only stream that cannot seek, like a pipe.</summary>
    private sealed class ForwardOnly(byte[] data) : Stream
    {
        private readonly MemoryStream inner = new(data);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() { }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
