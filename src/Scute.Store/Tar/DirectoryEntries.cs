using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Scute.Core.Interop;

namespace Scute.Store.Tar;

/// <summary>One name in a folder, with the type the folder listing reported for it.</summary>
internal readonly record struct DirectoryName(string Name, TreeEntryKind Kind);

/// <summary>
/// Lists a folder from its descriptor with getdents64: no path is resolved, so nothing can
/// redirect the listing, and the type comes with each name (no stat per entry on the usual
/// filesystems; a statx relative to the folder where the filesystem reports DT_UNKNOWN).
/// </summary>
internal static class DirectoryEntries
{
    private const int BufferSize = 64 * 1024;

    // linux_dirent64: u64 d_ino, s64 d_off, u16 d_reclen, u8 d_type, char d_name[] (NUL-terminated).
    private const int RecLenOffset = 16;
    private const int TypeOffset = 18;
    private const int NameOffset = 19;

    // Layers hold UTF-8 names; a name that does not decode could not be written back as it is.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <param name="where">The folder's relative path, for error messages.</param>
    public static List<DirectoryName> Read(SafeFileHandle dir, string where)
    {
        var fd = ConfinedTree.Fd(dir);
        var names = new List<DirectoryName>();
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                var n = Libc.getdents64(fd, buffer, (nuint)buffer.Length);
                if (n < 0)
                {
                    throw new IOException($"cannot list '{Shown(where)}': {Interop.ErrorText(Interop.LastError)}");
                }

                if (n == 0)
                {
                    return names;
                }

                for (var offset = 0; offset < n;)
                {
                    var record = buffer.AsSpan(offset, BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(offset + RecLenOffset)));
                    offset += record.Length;
                    var raw = record[NameOffset..];
                    raw = raw[..raw.IndexOf((byte)0)];
                    if (raw.SequenceEqual("."u8) || raw.SequenceEqual(".."u8))
                    {
                        continue;
                    }

                    var name = Decode(raw, where);
                    // A name gone between the listing and the statx is simply not there any more.
                    if ((KindOf(record[TypeOffset]) ?? TypeAt(dir, name, where)) is { } kind)
                    {
                        names.Add(new DirectoryName(name, kind));
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Lists the folder again from its first entry (a descriptor read to its end lists nothing more).</summary>
    public static List<DirectoryName> ReadAgain(SafeFileHandle dir, string where) =>
        Libc.lseek(ConfinedTree.Fd(dir), 0, 0) == 0
            ? Read(dir, where)
            : throw new IOException($"cannot list '{Shown(where)}' again: {Interop.ErrorText(Interop.LastError)}");

    /// <summary>What <paramref name="name"/> in the folder is now, without following it; null if it is gone.</summary>
    public static TreeEntryKind? TypeAt(SafeFileHandle dir, string name, string where)
    {
        var errno = Interop.LStat(ConfinedTree.Fd(dir), name, out var st);
        return errno switch
        {
            0 => KindOfMode(st.Mode),
            Interop.ENoEnt => null,
            _ => throw new IOException($"cannot stat '{Shown(where + name)}': {Interop.ErrorText(errno)}"),
        };
    }

    /// <summary>readlinkat(folder, name): the target, or null with the errno (EINVAL: not a symlink).</summary>
    public static string? ReadLink(SafeFileHandle dir, string name, string relative, out int errno)
    {
        // A target longer than the buffer fills it completely: try again with a bigger one.
        for (var size = 256; ; size *= 4)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(size);
            try
            {
                var n = Libc.readlinkat(ConfinedTree.Fd(dir), name, buffer, (nuint)buffer.Length);
                if (n < 0)
                {
                    errno = Interop.LastError;
                    return null;
                }

                if (n < buffer.Length)
                {
                    errno = 0;
                    return Decode(buffer.AsSpan(0, (int)n), relative);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    public static TreeEntryKind KindOfMode(uint mode) => (mode & Interop.SIfMt) switch
    {
        Interop.SIfDir => TreeEntryKind.Directory,
        Interop.SIfReg => TreeEntryKind.RegularFile,
        Interop.SIfLnk => TreeEntryKind.Symlink,
        Interop.SIfChr => TreeEntryKind.CharDevice,
        Interop.SIfBlk => TreeEntryKind.BlockDevice,
        Interop.SIfIfo => TreeEntryKind.Fifo,
        Interop.SIfSock => TreeEntryKind.Socket,
        var other => throw new IOException($"unknown file type {other:x}"),
    };

    /// <summary>"./" for the walk's root, so a message never names an empty path.</summary>
    public static string Shown(string relative) => relative.Length == 0 ? "./" : relative;

    private static TreeEntryKind? KindOf(byte dType) => dType switch
    {
        4 => TreeEntryKind.Directory,
        8 => TreeEntryKind.RegularFile,
        10 => TreeEntryKind.Symlink,
        2 => TreeEntryKind.CharDevice,
        6 => TreeEntryKind.BlockDevice,
        1 => TreeEntryKind.Fifo,
        12 => TreeEntryKind.Socket,
        _ => null, // DT_UNKNOWN: the filesystem does not say
    };

    /// <param name="what">The folder holding the name, or the symlink holding the target.</param>
    private static string Decode(ReadOnlySpan<byte> raw, string what)
    {
        try
        {
            return StrictUtf8.GetString(raw);
        }
        catch (DecoderFallbackException)
        {
            throw new IOException($"'{Shown(what)}' holds a name that is not valid UTF-8 ({Convert.ToHexStringLower(raw)}); layers only hold UTF-8 names and link targets");
        }
    }
}
