using System.Runtime.InteropServices;

namespace Scute.Core.Interop;

/// <summary>prctl: capabilities, no_new_privs, and the seccomp filter (PR_SET_SECCOMP with a sock_fprog).</summary>
internal static partial class Libc
{
    public const int PR_SET_KEEPCAPS = 8;
    public const int PR_SET_SECCOMP = 22;
    public const int PR_CAPBSET_READ = 23;
    public const int PR_CAPBSET_DROP = 24;
    public const int PR_SET_NO_NEW_PRIVS = 38;
    public const int PR_CAP_AMBIENT = 47;
    public const int PR_CAP_AMBIENT_RAISE = 2;
    public const int PR_CAP_AMBIENT_CLEAR_ALL = 4;

    public const nuint SECCOMP_MODE_FILTER = 2;

    /// <summary><c>struct sock_fprog { unsigned short len; struct sock_filter *filter; }</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SockFprog
    {
        public ushort Length;
        public nint Filter;
    }

    [LibraryImport("libc", SetLastError = true)]
    public static partial int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);
}
