using System.Runtime.InteropServices;

namespace Scute.Store;

/// <summary>
/// The calls the tree walks use to work from directory descriptors only (DESIGN 2.4): list a
/// folder by its descriptor, read a link or an xattr relative to a descriptor, stat what was
/// opened. Flag values below are the same on x86_64 and arm64.
/// </summary>
internal static partial class Interop
{
    public const int OPath = 0x200000;
    public const int ONonBlock = 0x800;
    public const int ONoCtty = 0x100;
    public const int AtEmptyPath = 0x1000;

    public const int EPerm = 1;
    public const int ENxIo = 6;
    public const int EAcces = 13;
    public const int EInval = 22;

    [LibraryImport("libc", EntryPoint = "getdents64", SetLastError = true)]
    public static partial nint GetDents64(int fd, Span<byte> buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "readlinkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint ReadLinkAt(int dirFd, string path, Span<byte> buffer, nuint size);

    [LibraryImport("libc", EntryPoint = "fgetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint FGetXattr(int fd, string name, Span<byte> value, nuint size);

    [LibraryImport("libc", EntryPoint = "lseek", SetLastError = true)]
    public static partial long LSeek(int fd, long offset, int whence);

    [LibraryImport("libc", EntryPoint = "chmod", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Chmod(string path, uint mode);

    /// <summary>fstat through statx: what the descriptor itself is. Returns errno (0 on success).</summary>
    public static int FStat(int fd, out Statx buffer) =>
        StatxRaw(fd, "", AtEmptyPath | AtSymlinkNoFollow, StatxBasicStats, out buffer) == 0 ? 0 : LastError;
}
