using System.Buffers.Binary;
using System.Text;

namespace Scute.Engine.Desktop;

/// <summary>One record of an Xauthority file (Xau's format: big-endian 16-bit family, then four length-prefixed fields).</summary>
public sealed record XauthEntry(ushort Family, byte[] Address, string Number, string Name, byte[] Data);

/// <summary>
/// Reads the host's Xauthority and writes one that holds a single display's cookie, so an
/// environment never sees the host's file with every other display's (and host's) cookies.
/// </summary>
public static class Xauthority
{
    /// <summary>FamilyLocal: a local connection, the address is the host's name.</summary>
    public const ushort FamilyLocal = 256;

    /// <summary>FamilyWild: matches any address; the environment's hostname differs from the host's.</summary>
    public const ushort FamilyWild = 65535;

    public static IReadOnlyList<XauthEntry> Parse(ReadOnlySpan<byte> file)
    {
        var entries = new List<XauthEntry>();
        var at = 0;
        while (at < file.Length)
        {
            var family = ReadU16(file, ref at);
            var address = ReadField(file, ref at);
            var number = Encoding.ASCII.GetString(ReadField(file, ref at));
            var name = Encoding.ASCII.GetString(ReadField(file, ref at));
            var data = ReadField(file, ref at);
            entries.Add(new XauthEntry(family, address, number, name, data));
        }

        return entries;
    }

    public static byte[] Write(IEnumerable<XauthEntry> entries)
    {
        using var stream = new MemoryStream();
        foreach (var e in entries)
        {
            WriteU16(stream, e.Family);
            WriteField(stream, e.Address);
            WriteField(stream, Encoding.ASCII.GetBytes(e.Number));
            WriteField(stream, Encoding.ASCII.GetBytes(e.Name));
            WriteField(stream, e.Data);
        }

        return stream.ToArray();
    }

    /// <summary>
    /// The cookie of display <paramref name="number"/> for a local connection from this host
    /// (FamilyLocal with its name, else FamilyWild), rewritten as FamilyWild: the one entry an
    /// environment needs. Null when the file has none.
    /// </summary>
    public static XauthEntry? ForDisplay(IReadOnlyList<XauthEntry> entries, int number, string hostname)
    {
        var n = number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var host = Encoding.ASCII.GetBytes(hostname);
        var match = entries.FirstOrDefault(e => e.Number == n && e.Family == FamilyLocal && e.Address.AsSpan().SequenceEqual(host))
            ?? entries.FirstOrDefault(e => e.Number == n && e.Family == FamilyWild);
        return match is null ? null : match with { Family = FamilyWild, Address = [] };
    }

    private static ushort ReadU16(ReadOnlySpan<byte> file, ref int at)
    {
        if (at + 2 > file.Length)
        {
            throw new InvalidDataException("the Xauthority file ends inside a record");
        }

        var value = BinaryPrimitives.ReadUInt16BigEndian(file[at..]);
        at += 2;
        return value;
    }

    private static byte[] ReadField(ReadOnlySpan<byte> file, ref int at)
    {
        var length = ReadU16(file, ref at);
        if (at + length > file.Length)
        {
            throw new InvalidDataException("the Xauthority file ends inside a record");
        }

        var value = file.Slice(at, length).ToArray();
        at += length;
        return value;
    }

    private static void WriteU16(Stream s, int value)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(b, checked((ushort)value));
        s.Write(b);
    }

    private static void WriteField(Stream s, byte[] value)
    {
        WriteU16(s, value.Length);
        s.Write(value);
    }
}
