using System.IO.Compression;
using SharpCompress.Compressors.Xz;
using ZstdSharp;

namespace Scute.Images.Providers;

/// <summary>Recognizes gzip, xz and zstd by their magic bytes and wraps the stream to decompress it.</summary>
public static class Decompression
{
    public static Stream Open(Stream raw)
    {
        var buffered = raw.CanSeek ? raw : new BufferedStream(raw);
        Span<byte> magic = stackalloc byte[6];
        var start = buffered.Position;
        var n = buffered.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        buffered.Position = start;
        var head = magic[..n];
        if (head.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B]))
        {
            return new GZipStream(buffered, CompressionMode.Decompress);
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]))
        {
            return new XZStream(buffered);
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x28, 0xB5, 0x2F, 0xFD]))
        {
            return new DecompressionStream(buffered);
        }

        return buffered;
    }
}
