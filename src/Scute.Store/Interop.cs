using System.Runtime.InteropServices;

namespace Scute.Store;

/// <summary>
/// The few libc calls the store needs that .NET does not expose: flock without
/// FileStream's own advisory locking, fsync of folders, statx (device numbers,
/// no symlink following) and the *at family used to extract without ever
/// following a link. Linux only.
/// </summary>
internal static partial class Interop
{
    public const int AtFdCwd = -100;
    public const int AtSymlinkNoFollow = 0x100;
    public const int AtRemoveDir = 0x200;

    public const int ORdOnly = 0;
    public const int OWrOnly = 1;
    public const int OCreat = 0x40;
    public const int OExcl = 0x80;
    public const int OCloExec = 0x80000;

    // O_DIRECTORY and O_NOFOLLOW are the two flags whose values differ by
    // architecture (arm keeps the historical layout).
    public static readonly int ODirectory = IsArm ? 0x4000 : 0x10000;
    public static readonly int ONoFollow = IsArm ? 0x8000 : 0x20000;

    public const int LockSh = 1;
    public const int LockEx = 2;
    public const int LockNb = 4;

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

    internal const uint StatxBasicStats = 0x7FF;

    private static bool IsArm =>
        RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm;

    /// <summary>The part of struct statx we read; the kernel ABI is the same on every architecture.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    public struct Statx
    {
        [FieldOffset(20)] public uint Uid;
        [FieldOffset(28)] public ushort Mode;
        [FieldOffset(32)] public ulong Ino;
        [FieldOffset(40)] public ulong Size;
        [FieldOffset(128)] public uint RdevMajor;
        [FieldOffset(132)] public uint RdevMinor;
        [FieldOffset(136)] public uint DevMajor;
        [FieldOffset(140)] public uint DevMinor;
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int OpenAt(int dirFd, string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "mkdirat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MkdirAt(int dirFd, string path, uint mode);

    [LibraryImport("libc", EntryPoint = "unlinkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int UnlinkAt(int dirFd, string path, int flags);

    [LibraryImport("libc", EntryPoint = "symlinkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SymlinkAt(string target, int newDirFd, string linkPath);

    [LibraryImport("libc", EntryPoint = "linkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int LinkAt(int oldDirFd, string oldPath, int newDirFd, string newPath, int flags);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int StatxRaw(int dirFd, string path, int flags, uint mask, out Statx buffer);

    [LibraryImport("libc", EntryPoint = "mknodat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MknodAt(int dirFd, string path, uint mode, ulong dev);

    [LibraryImport("libc", EntryPoint = "fsetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int FSetXattr(int fd, string name, ReadOnlySpan<byte> value, nuint size, int flags);

    [LibraryImport("libc", EntryPoint = "lgetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LGetXattr(string path, string name, Span<byte> value, nuint size);

    [LibraryImport("libc", EntryPoint = "fchmod", SetLastError = true)]
    public static partial int FChmod(int fd, uint mode);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    public static partial int Flock(int fd, int operation);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int command, int argument);

    /// <summary>
    /// Asks for a 1 MiB pipe buffer (F_SETPIPE_SZ; the unprivileged default ceiling) instead of 64 KiB,
    /// so a producer and a consumer on two cores hand over large chunks. Best effort: a smaller pipe works too.
    /// </summary>
    public static void GrowPipe(SafeHandle pipe)
    {
        const int FSetPipeSize = 1031;
        _ = Fcntl(checked((int)pipe.DangerousGetHandle()), FSetPipeSize, 1024 * 1024);
    }

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    public static int LastError => Marshal.GetLastPInvokeError();

    public static string ErrorText(int errno) => Marshal.GetPInvokeErrorMessage(errno);

    /// <summary>lstat-like: never follows a final symlink. Returns errno (0 on success).</summary>
    public static int LStat(int dirFd, string path, out Statx buffer) =>
        StatxRaw(dirFd, path, AtSymlinkNoFollow, StatxBasicStats, out buffer) == 0 ? 0 : LastError;

    public static Statx LStat(string path)
    {
        var errno = LStat(AtFdCwd, path, out var buffer);
        return errno == 0 ? buffer : throw new IOException($"cannot stat {path}: {ErrorText(errno)}");
    }

    /// <summary>fsync a folder so a rename inside it survives a crash.</summary>
    public static void FSyncDirectory(string path)
    {
        var fd = Open(path, ORdOnly | ODirectory | OCloExec, 0);
        if (fd < 0)
        {
            throw new IOException($"cannot open folder {path}: {ErrorText(LastError)}");
        }

        try
        {
            if (FSync(fd) != 0)
            {
                throw new IOException($"cannot fsync folder {path}: {ErrorText(LastError)}");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }
}
