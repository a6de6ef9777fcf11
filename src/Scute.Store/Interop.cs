using System.Runtime.InteropServices;
using Scute.Core.Interop;

namespace Scute.Store;

/// <summary>
/// The store's typed use of libc (the calls themselves are declared once, in <see cref="Libc"/>): flock
/// without FileStream's own advisory locking, fsync of folders, statx (device numbers, no symlink
/// following) and the *at family used to extract without ever following a link. Linux only.
/// </summary>
internal static partial class Interop
{
    public const int AtFdCwd = Libc.AT_FDCWD;
    public const int AtSymlinkNoFollow = Libc.AT_SYMLINK_NOFOLLOW;
    public const int AtRemoveDir = Libc.AT_REMOVEDIR;

    public const int ORdOnly = Libc.O_RDONLY;
    public const int OWrOnly = Libc.O_WRONLY;
    public const int OCreat = Libc.O_CREAT;
    public const int OExcl = Libc.O_EXCL;
    public const int OCloExec = Libc.O_CLOEXEC;

    public static readonly int ODirectory = Libc.DirectoryFlag;
    public static readonly int ONoFollow = Libc.NoFollowFlag;

    public const int LockEx = Libc.LOCK_EX;
    public const int LockNb = Libc.LOCK_NB;

    public const int ENoEnt = 2;
    public const int EIntr = 4;
    public const int EWouldBlock = 11;
    public const int EExist = 17;
    public const int ENotDir = 20;
    public const int EIsDir = 21;
    public const int ENotEmpty = 39;
    public const int ELoop = 40;

    public const uint SIfMt = 0xF000;
    public const uint SIfSock = 0xC000;
    public const uint SIfLnk = 0xA000;
    public const uint SIfReg = 0x8000;
    public const uint SIfBlk = 0x6000;
    public const uint SIfDir = 0x4000;
    public const uint SIfChr = 0x2000;
    public const uint SIfIfo = 0x1000;

    /// <summary>
    /// Asks for a 1 MiB pipe buffer (F_SETPIPE_SZ; the unprivileged default ceiling) instead of 64 KiB,
    /// so a producer and a consumer on two cores hand over large chunks. Best effort: a smaller pipe works too.
    /// </summary>
    public static void GrowPipe(SafeHandle pipe) =>
        _ = Libc.fcntl(checked((int)pipe.DangerousGetHandle()), Libc.F_SETPIPE_SZ, 1024 * 1024);

    public static int LastError => Libc.Errno;

    public static string ErrorText(int errno) => Libc.Describe(errno);

    /// <summary>lstat-like: never follows a final symlink. Returns errno (0 on success).</summary>
    public static int LStat(int dirFd, string path, out Libc.Statx buffer) =>
        Libc.statx(dirFd, path, AtSymlinkNoFollow, Libc.STATX_BASIC_STATS, out buffer) == 0 ? 0 : LastError;

    public static Libc.Statx LStat(string path)
    {
        var errno = LStat(AtFdCwd, path, out var buffer);
        return errno == 0 ? buffer : throw new IOException($"cannot stat {path}: {ErrorText(errno)}");
    }

    /// <summary>fsync a folder so a rename inside it survives a crash.</summary>
    public static void FSyncDirectory(string path) => Scute.Core.DurableFile.SyncFolder(path);
}
