using System.Runtime.InteropServices;

namespace Scute.Runtime.Seccomp;

/// <summary>prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &amp;sock_fprog): filters the calling thread and what it execs.</summary>
internal static partial class SeccompInterop
{
    public const int PR_SET_SECCOMP = 22;
    public const nuint SECCOMP_MODE_FILTER = 2;

    /// <summary><c>struct sock_fprog { unsigned short len; struct sock_filter *filter; }</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SockFprog
    {
        public ushort Length;
        public nint Filter;
    }

    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    public static unsafe partial int PrctlSetSeccomp(int option, nuint mode, SockFprog* program, nuint unused4, nuint unused5);
}
