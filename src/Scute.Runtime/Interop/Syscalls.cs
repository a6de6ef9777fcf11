using System.Runtime.InteropServices;

namespace Scute.Runtime.Interop;

/// <summary>Numbers of the syscalls glibc has no wrapper for, per architecture.</summary>
internal static class Syscalls
{
    public static long PivotRoot => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 155,
        Architecture.Arm64 => 41,
        _ => throw new PlatformNotSupportedException("pivot_root: unsupported architecture"),
    };

    public static long Capset => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 126,
        Architecture.Arm64 => 91,
        _ => throw new PlatformNotSupportedException("capset: unsupported architecture"),
    };

    /// <summary>close_range(2), Linux 5.9 (5.11 for CLOSE_RANGE_CLOEXEC); the same number everywhere.</summary>
    public const long CloseRange = 436;

    /// <summary>mount_setattr(2), Linux 5.12; the same number everywhere.</summary>
    public const long MountSetattr = 442;
}
