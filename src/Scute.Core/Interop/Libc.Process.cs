using System.Runtime.InteropServices;

namespace Scute.Core.Interop;

/// <summary>Processes, credentials, limits, and the raw syscall entry for calls glibc has no wrapper for.</summary>
internal static unsafe partial class Libc
{
    [LibraryImport("libc", SetLastError = true)]
    public static partial int kill(int pid, int signal);

    [LibraryImport("libc")]
    public static partial void _exit(int status);

    /// <summary>waitid(P_ALL, 0, info, options); info is a 128-byte siginfo_t.</summary>
    [LibraryImport("libc", SetLastError = true)]
    public static partial int waitid(int idtype, int id, byte* info, int options);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int waitpid(int pid, int* status, int options);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int execve(string path, byte** argv, byte** envp);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int execv(string path, string?[] argv);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int setsid();

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
    public static partial int prlimit(int pid, int resource, ReadOnlySpan<ulong> newLimit, nint oldLimit);

    [LibraryImport("libc", SetLastError = true)]
    public static partial long syscall(long number, nint a1, nint a2, nint a3);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    public static partial long syscall(long number, nint a1, nint a2, nint a3, nint a4);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    public static partial long syscall(long number, nint a1, nint a2, nint a3, nint a4, nint a5);
}
