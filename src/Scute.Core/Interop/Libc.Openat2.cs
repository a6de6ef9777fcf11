using System.Runtime.InteropServices;
using System.Text;

namespace Scute.Core.Interop;

/// <summary>
/// openat2(2) (Linux 5.6+): a whole relative path resolved in one call, the kernel refusing to
/// leave the starting folder (RESOLVE_BENEATH) or to follow a symlink on the way
/// (RESOLVE_NO_SYMLINKS). glibc 2.36 has no wrapper: it goes through <see cref="syscall(long, nint, nint, nint, nint)"/>.
/// The number is 437 on every architecture with the unified syscall table (5.1+), x86_64 and arm64 included.
/// </summary>
internal static unsafe partial class Libc
{
    public const int ENOSYS = 38;
    public const int EXDEV = 18;
    public const int EAGAIN = 11;

    public const ulong RESOLVE_NO_MAGICLINKS = 0x02;
    public const ulong RESOLVE_NO_SYMLINKS = 0x04;
    public const ulong RESOLVE_BENEATH = 0x08;

    public const long SYS_openat2 = 437;

    private const int MaxStackPath = 512;

    /// <summary>struct open_how, version 0 (24 bytes): what the kernel reads with the size passed.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    /// <summary>openat2(dirfd, path, {flags, 0, resolve}): a descriptor, or -1 with errno set (ENOSYS before 5.6).</summary>
    public static int openat2(int dirfd, string path, int flags, ulong resolve)
    {
        var length = Encoding.UTF8.GetMaxByteCount(path.Length) + 1;
        var rented = length > MaxStackPath ? new byte[length] : null;
        Span<byte> bytes = rented ?? stackalloc byte[MaxStackPath];
        var n = Encoding.UTF8.GetBytes(path, bytes);
        bytes[n] = 0;
        var how = new OpenHow { Flags = (uint)flags, Mode = 0, Resolve = resolve };
        fixed (byte* p = bytes)
        {
            return (int)syscall(SYS_openat2, dirfd, (nint)p, (nint)(&how), sizeof(OpenHow));
        }
    }
}
