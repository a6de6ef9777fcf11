using Scute.Core.Interop;

namespace Scute.Store;

/// <summary>The store's names for openat2 (<see cref="Libc.openat2"/>) and the errors it adds.</summary>
internal static partial class Interop
{
    public const int ENoSys = Libc.ENOSYS;
    public const int EXDev = Libc.EXDEV;
    public const int EAgain = Libc.EAGAIN;

    public const ulong ResolveNoMagicLinks = Libc.RESOLVE_NO_MAGICLINKS;
    public const ulong ResolveNoSymlinks = Libc.RESOLVE_NO_SYMLINKS;
    public const ulong ResolveBeneath = Libc.RESOLVE_BENEATH;

    public static int OpenAt2(int dirFd, string path, int flags, ulong resolve) => Libc.openat2(dirFd, path, flags, resolve);
}
