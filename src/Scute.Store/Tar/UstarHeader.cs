using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Scute.Store.Tar;

/// <summary>
/// Writes a POSIX ustar archive whose entries' data the caller streams itself: a fixed header
/// (owner 0:0, mtime 0, no user or group names), the data, then padding. Used where the data's
/// size is known before it is produced (an OCI archive's blobs), so nothing is buffered.
/// </summary>
public static class UstarHeader
{
    public const int BlockSize = 512;
    private const long MaxOctalSize = 0x1_FFFF_FFFF; // 8^11 - 1: 11 octal digits; larger sizes use base-256

    public static void WriteDirectory(Stream output, string name) => Write(output, name.EndsWith('/') ? name : name + "/", 0, 0x1ED, (byte)'5');

    public static void WriteFileHeader(Stream output, string name, long size) => Write(output, name, size, 0x1A4, (byte)'0');

    /// <summary>Zeros to the next block boundary after <paramref name="size"/> bytes of data.</summary>
    public static void Pad(Stream output, long size)
    {
        ArgumentNullException.ThrowIfNull(output);
        var rest = (int)(size % BlockSize);
        if (rest != 0)
        {
            output.Write(new byte[BlockSize - rest]);
        }
    }

    /// <summary>The two zero blocks that end an archive.</summary>
    public static void WriteEnd(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write(new byte[BlockSize * 2]);
    }

    private static void Write(Stream output, string name, long size, int mode, byte type)
    {
        ArgumentNullException.ThrowIfNull(output);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        if (nameBytes.Length > 100)
        {
            throw new ArgumentException($"tar entry name longer than 100 bytes: {name}", nameof(name));
        }

        var h = new byte[BlockSize];
        nameBytes.CopyTo(h, 0);
        Octal(h, 100, 8, mode);
        Octal(h, 108, 8, 0);
        Octal(h, 116, 8, 0);
        if (size <= MaxOctalSize)
        {
            Octal(h, 124, 12, size);
        }
        else
        {
            // GNU base-256: high bit set, big-endian value in the remaining bytes.
            h[124] = 0x80;
            BinaryPrimitives.WriteInt64BigEndian(h.AsSpan(128, 8), size);
        }

        Octal(h, 136, 12, 0);
        h[156] = type;
        "ustar\0"u8.CopyTo(h.AsSpan(257));
        "00"u8.CopyTo(h.AsSpan(263));
        Octal(h, 329, 8, 0);
        Octal(h, 337, 8, 0);
        // The checksum is computed with its own field read as spaces.
        h.AsSpan(148, 8).Fill((byte)' ');
        var sum = 0;
        foreach (var b in h)
        {
            sum += b;
        }

        var digits = Convert.ToString(sum, 8).PadLeft(6, '0');
        Encoding.ASCII.GetBytes(digits).CopyTo(h, 148);
        h[154] = 0;
        h[155] = (byte)' ';
        output.Write(h);
    }

    /// <summary>Zero-padded octal in width-1 digits and a NUL.</summary>
    private static void Octal(byte[] h, int offset, int width, long value)
    {
        var text = Convert.ToString(value, 8).PadLeft(width - 1, '0');
        Encoding.ASCII.GetBytes(text.ToString(CultureInfo.InvariantCulture)).CopyTo(h, offset);
        h[offset + width - 1] = 0;
    }
}
