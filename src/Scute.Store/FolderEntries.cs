using System.Buffers.Binary;
using Scute.Core.Interop;

namespace Scute.Store;

/// <summary>
/// Whether a folder holds anything, from one open and the first getdents64: every command looks
/// at the WAL, staging and trash folders, which are nearly always empty, and a .NET listing of
/// them costs an enumerator (and an exception where the folder is missing).
/// </summary>
internal static class FolderEntries
{
    private const int ENoEnt = 2;

    // linux_dirent64: u64 d_ino, s64 d_off, u16 d_reclen, u8 d_type, char d_name[] (NUL-terminated).
    private const int RecLenOffset = 16;
    private const int NameOffset = 19;

    /// <summary>
    /// Whether the folder has an entry besides "." and ".."; false when it does not exist; null
    /// when it cannot be read for any other reason (the caller then lists it as before, and
    /// reports what that meets).
    /// </summary>
    public static bool? Any(string path)
    {
        var fd = Libc.open(path, Libc.O_RDONLY | Libc.DirectoryFlag | Libc.O_CLOEXEC, 0);
        if (fd < 0)
        {
            return Libc.Errno == ENoEnt ? false : null;
        }

        try
        {
            Span<byte> buffer = stackalloc byte[1024];
            while (true)
            {
                var n = Libc.getdents64(fd, buffer, (nuint)buffer.Length);
                if (n <= 0)
                {
                    return n == 0 ? false : null;
                }

                for (var offset = 0; offset < n;)
                {
                    var record = buffer.Slice(offset, BinaryPrimitives.ReadUInt16LittleEndian(buffer[(offset + RecLenOffset)..]));
                    offset += record.Length;
                    var name = record[NameOffset..];
                    name = name[..name.IndexOf((byte)0)];
                    if (!name.SequenceEqual("."u8) && !name.SequenceEqual(".."u8))
                    {
                        return true;
                    }
                }
            }
        }
        finally
        {
            _ = Libc.close(fd);
        }
    }
}
