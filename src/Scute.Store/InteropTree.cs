using Scute.Core.Interop;

namespace Scute.Store;

/// <summary>
/// What the tree walks use to work from directory descriptors only (DESIGN 2.4): list a folder by its
/// descriptor, read a link or an xattr relative to a descriptor, stat what was opened. Flag values
/// below are the same on x86_64 and arm64.
/// </summary>
internal static partial class Interop
{
    public const int OPath = Libc.O_PATH;
    public const int ONonBlock = Libc.O_NONBLOCK;
    public const int ONoCtty = Libc.O_NOCTTY;
    public const int AtEmptyPath = Libc.AT_EMPTY_PATH;

    public const int EPerm = 1;
    public const int ENxIo = 6;
    public const int EAcces = 13;
    public const int EInval = 22;

    /// <summary>fstat through statx: what the descriptor itself is. Returns errno (0 on success).</summary>
    public static int FStat(int fd, out Libc.Statx buffer) =>
        Libc.statx(fd, "", AtEmptyPath | AtSymlinkNoFollow, Libc.STATX_BASIC_STATS, out buffer) == 0 ? 0 : LastError;
}
