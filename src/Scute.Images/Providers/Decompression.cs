using System.IO.Compression;
using Scute.Images.Oci;
using SharpCompress.Compressors.Xz;
using ZstdSharp;

namespace Scute.Images.Providers;

/// <summary>Recognizes gzip, xz and zstd by their magic bytes and wraps the stream to decompress it.</summary>
public static class Decompression
{
    public static Stream Open(Stream raw) => Open(raw, out _);

    /// <summary>Like <see cref="Open(Stream)"/>, and says which compression the magic bytes showed.</summary>
    public static Stream Open(Stream raw, out LayerCompression found)
    {
        var magic = new byte[6];
        var n = raw.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        // The bytes read to recognize the format are put back in front of the rest, so this
        // works on pipes as well as files.
        var whole = new PrefixedStream(magic.AsMemory(0, n), raw);
        ReadOnlySpan<byte> head = magic.AsSpan(0, n);
        if (head.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B]))
        {
            found = LayerCompression.Gzip;
            return new GZipStream(whole, CompressionMode.Decompress);
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]))
        {
            found = LayerCompression.Xz;
            return new XZStream(whole);
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x28, 0xB5, 0x2F, 0xFD]))
        {
            found = LayerCompression.Zstd;
            return new DecompressionStream(whole);
        }

        found = LayerCompression.None;
        return whole;
    }
}
