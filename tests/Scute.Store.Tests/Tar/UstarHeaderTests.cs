using System.Formats.Tar;
using Scute.Store.Tar;

namespace Scute.Store.Tests.Tar;

public sealed class UstarHeaderTests
{
    [Fact]
    public void Streamed_entries_read_back_with_fixed_metadata()
    {
        using var buffer = new MemoryStream();
        UstarHeader.WriteDirectory(buffer, "blobs");
        UstarHeader.WriteFileHeader(buffer, "blobs/a", 5);
        buffer.Write("hello"u8);
        UstarHeader.Pad(buffer, 5);
        UstarHeader.WriteEnd(buffer);

        buffer.Position = 0;
        using var r = new TarReader(buffer);
        var dir = r.GetNextEntry()!;
        var file = r.GetNextEntry(copyData: true)!;
        Assert.Null(r.GetNextEntry());
        Assert.Equal("blobs/", dir.Name);
        Assert.Equal(TarEntryType.Directory, dir.EntryType);
        Assert.Equal("blobs/a", file.Name);
        Assert.Equal(5, file.Length);
        Assert.Equal(0, file.Uid);
        Assert.Equal(DateTimeOffset.UnixEpoch, file.ModificationTime);
        Assert.Equal("hello", new StreamReader(file.DataStream!).ReadToEnd());
        Assert.Equal(0, buffer.Length % 512);
    }

    [Fact]
    public void A_size_beyond_eleven_octal_digits_uses_base_256()
    {
        using var buffer = new MemoryStream();
        const long size = 10L * 1024 * 1024 * 1024;
        UstarHeader.WriteFileHeader(buffer, "huge", size);

        var header = buffer.ToArray();
        Assert.Equal(0x80, header[124]);
        Assert.Equal(size, System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(header.AsSpan(128, 8)));
    }

    [Fact]
    public void A_name_over_100_bytes_is_refused()
    {
        Assert.Throws<ArgumentException>(() => UstarHeader.WriteFileHeader(Stream.Null, new string('a', 101), 0));
    }
}
