using Scute.Core.Interop;

namespace Scute.Store.Tar;

/// <summary>
/// How the extractor makes a regular file, whichever thread makes it (<see cref="SafeTarExtractor"/>
/// for large files and names taken before, <see cref="FileWriters"/> for small fresh ones): created
/// with O_EXCL|O_NOFOLLOW below its folder's descriptor, so it never opens what is there, a symlink
/// least of all.
/// </summary>
internal static class NewFile
{
    private const int EIntr = 4;

    public static readonly int Flags = Interop.OWrOnly | Interop.OCreat | Interop.OExcl | Interop.ONoFollow | Interop.OCloExec;

    /// <summary>This process's umask, read from /proc/self/status (umask(2) cannot read it without changing it); 0777 if unknown.</summary>
    private static readonly Lazy<uint> ProcessUmask = new(ReadUmask);

    /// <summary>
    /// The mode to create a file of <paramref name="mode"/> with. A plain mode the umask keeps is
    /// given at creation (our descriptor may write whatever the mode); special bits, and modes the
    /// umask would cut, are set after the content (<paramref name="chmodAfter"/>).
    /// </summary>
    public static uint CreateMode(uint mode, out bool chmodAfter)
    {
        var atCreation = (mode & ~0x1FFu) == 0 && (mode & ProcessUmask.Value) == 0;
        chmodAfter = !atCreation;
        return atCreation ? mode : 0b110_000_000;
    }

    /// <summary>pwrite itself rather than RandomAccess: no lseek per file to learn the descriptor is seekable.</summary>
    public static void WriteAll(int fd, ReadOnlySpan<byte> data, long offset, string entryName)
    {
        if (!TryWriteAll(fd, data, offset))
        {
            throw ConfinedTree.Failure(entryName, "cannot write file");
        }
    }

    /// <summary>Writes all of <paramref name="data"/>; false with the error in <see cref="Interop.LastError"/>.</summary>
    public static unsafe bool TryWriteAll(int fd, ReadOnlySpan<byte> data, long offset)
    {
        while (!data.IsEmpty)
        {
            nint n;
            fixed (byte* p = data)
            {
                n = Libc.pwrite(fd, p, (nuint)data.Length, offset);
            }

            if (n < 0)
            {
                if (Interop.LastError == EIntr)
                {
                    continue;
                }

                return false;
            }

            data = data[(int)n..];
            offset += n;
        }

        return true;
    }

    private static uint ReadUmask()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("Umask:", StringComparison.Ordinal))
                {
                    return Convert.ToUInt32(line["Umask:".Length..].Trim(), 8);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException or ArgumentException)
        {
        }

        return 0x1FF;
    }
}
