using System.Runtime.InteropServices;
using System.Text;

namespace Scute.Store;

/// <summary>
/// openat2(2) (Linux 5.6+): resolves a whole relative path in one call while the kernel refuses
/// to leave the starting folder (RESOLVE_BENEATH) or to follow any symlink on the way
/// (RESOLVE_NO_SYMLINKS), which is what the extractor otherwise does one openat per component.
/// glibc 2.36 has no wrapper: it goes through syscall(2). The syscall number is 437 on every
/// architecture that has it (the unified table from 5.1 on), x86_64 and arm64 included.
/// </summary>
internal static partial class Interop
{
    public const int ENoSys = 38;
    public const int EXDev = 18;
    public const int EAgain = 11;

    public const ulong ResolveNoMagicLinks = 0x02;
    public const ulong ResolveNoSymlinks = 0x04;
    public const ulong ResolveBeneath = 0x08;

    private const long SysOpenat2 = 437;
    private const int MaxStackPath = 512;

    /// <summary>struct open_how, version 0 (24 bytes): what the kernel reads with the size we pass.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall4(long number, nint a1, nint a2, nint a3, nint a4);

    /// <summary>openat2(dirFd, path, {flags, 0, resolve}); a descriptor, or -1 with errno set (ENOSYS before 5.6).</summary>
    public static unsafe int OpenAt2(int dirFd, string path, int flags, ulong resolve)
    {
        var length = Encoding.UTF8.GetMaxByteCount(path.Length) + 1;
        var rented = length > MaxStackPath ? new byte[length] : null;
        Span<byte> bytes = rented ?? stackalloc byte[MaxStackPath];
        var n = Encoding.UTF8.GetBytes(path, bytes);
        bytes[n] = 0;
        var how = new OpenHow { Flags = (ulong)(uint)flags, Mode = 0, Resolve = resolve };
        fixed (byte* p = bytes)
        {
            return (int)Syscall4(SysOpenat2, dirFd, (nint)p, (nint)(&how), sizeof(OpenHow));
        }
    }
}
