using System.Runtime.InteropServices;

namespace Scute.Runtime.Interop;

/// <summary>The few Linux syscalls the namespace backend needs, called straight through libc.</summary>
internal static partial class Libc
{
    public const ulong MS_RDONLY = 0x1;
    public const ulong MS_NOSUID = 0x2;
    public const ulong MS_NODEV = 0x4;
    public const ulong MS_NOEXEC = 0x8;
    public const ulong MS_REMOUNT = 0x20;
    public const ulong MS_BIND = 0x1000;
    public const ulong MS_REC = 0x4000;
    public const ulong MS_PRIVATE = 0x40000;
    public const ulong MS_STRICTATIME = 0x1000000;

    public const int MNT_DETACH = 0x2;

    public const int PR_SET_KEEPCAPS = 8;
    public const int PR_CAPBSET_DROP = 24;
    public const int PR_SET_NO_NEW_PRIVS = 38;
    public const int PR_CAP_AMBIENT = 47;
    public const int PR_CAP_AMBIENT_RAISE = 2;
    public const int PR_CAP_AMBIENT_CLEAR_ALL = 4;

    public const int O_RDONLY = 0x0;
    public const int O_WRONLY = 0x1;
    public const int O_CREAT = 0x40;
    public const int O_DIRECTORY = 0x10000;
    public const int O_NOFOLLOW = 0x20000;
    public const int O_CLOEXEC = 0x80000;
    public const int O_PATH = 0x200000;

    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EACCES = 13;
    public const int EEXIST = 17;
    public const int EINVAL = 22;
    public const int ENOEXEC = 8;

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mount(string? source, string target, string? fstype, ulong flags, string? data);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int umount2(string target, int flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int chdir(string path);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mkdir(string path, uint mode);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int symlink(string target, string linkpath);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags, uint mode);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int sethostname(string name, nuint len);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int setresuid(uint ruid, uint euid, uint suid);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int setresgid(uint rgid, uint egid, uint sgid);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int setgroups(nuint size, ReadOnlySpan<uint> list);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int geteuid();

    [LibraryImport("libc", SetLastError = true)]
    public static partial int getegid();

    [LibraryImport("libc", SetLastError = true)]
    public static partial int umask(int mask);

    [LibraryImport("libc", SetLastError = true)]
    public static partial long syscall(long number, nint a1, nint a2, nint a3);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    public static partial long syscall(long number, nint a1, nint a2, nint a3, nint a4);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    public static partial long syscall(long number, nint a1, nint a2, nint a3, nint a4, nint a5);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static unsafe partial int execve(string path, byte** argv, byte** envp);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int access(string path, int mode);


    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint realpath(string path, nint resolved);

    [LibraryImport("libc")]
    public static partial void free(nint ptr);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int kill(int pid, int signal);

    [LibraryImport("libc")]
    public static partial void _exit(int status);

    /// <summary>waitid(P_ALL, 0, info, options); info is a 128-byte siginfo_t.</summary>
    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int waitid(int idtype, int id, byte* info, int options);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int waitpid(int pid, int* status, int options);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int pipe2(int* fds, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int fcntl(int fd, int cmd, int arg);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial nint read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial nint write(int fd, byte* buffer, nuint count);

    public const int F_SETFD = 2;

    public static int Errno => Marshal.GetLastPInvokeError();

    public static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);

    /// <summary>Throws a one-line error naming the operation and errno when a syscall fails.</summary>
    public static void Check(int rc, string what)
    {
        if (rc < 0)
        {
            var errno = Errno;
            throw new ContainerSetupException($"{what}: {Describe(errno)}", errno);
        }
    }
}
