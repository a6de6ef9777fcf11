using System.Runtime.InteropServices;

namespace Scute.Core.Interop;

/// <summary>
/// Every libc function Scute calls, each declared once, split by area into the Libc.*.cs files. The
/// binaries bind libc at link time (DirectPInvoke), so every name here must exist in glibc; calls
/// glibc has no wrapper for go through <see cref="syscall(long, nint, nint, nint)"/>. The typed
/// checks that turn a failure into each layer's own error stay in that layer.
/// </summary>
internal static partial class Libc
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int ENOEXEC = 8;
    public const int EACCES = 13;
    public const int EEXIST = 17;
    public const int EINVAL = 22;

    /// <summary>errno of the last call made through this class.</summary>
    public static int Errno => Marshal.GetLastPInvokeError();

    public static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);
}
