using System.Globalization;
using static Scute.Core.Interop.Libc;
using static Scute.Runtime.Interop.SyscallCheck;

namespace Scute.Runtime.Interop;

/// <summary>
/// Descriptor hygiene at the process boundary (DESIGN 2.4, the CVE-2024-21626 class): nothing a
/// caller left open without close-on-exec may reach a process inside an environment.
/// </summary>
public static class Descriptors
{
    private const uint CloseRangeCloexec = 4; // CLOSE_RANGE_CLOEXEC
    private const int FdCloexec = 1;
    private const int FGetfd = 1;

    /// <summary>
    /// Marks every descriptor from <paramref name="from"/> up close-on-exec, except those in
    /// <paramref name="keep"/>. Descriptors stay usable in this process (the .NET runtime's own
    /// among them); none crosses the next execve.
    /// </summary>
    public static void CloseOnExecFrom(int from, params ReadOnlySpan<int> keep)
    {
        var start = from;
        Span<int> sorted = stackalloc int[keep.Length];
        keep.CopyTo(sorted);
        sorted.Sort();
        foreach (var k in sorted)
        {
            if (k < start)
            {
                continue;
            }

            if (k > start)
            {
                MarkRange(start, k - 1);
            }

            start = k + 1;
        }

        MarkRange(start, int.MaxValue);
    }

    /// <summary>Clears close-on-exec on one descriptor that a child must inherit.</summary>
    public static void Inherit(int fd) => Check(fcntl(fd, F_SETFD, 0), "share a descriptor with the next stage");

    /// <summary>Sets close-on-exec on one descriptor.</summary>
    public static void KeepPrivate(int fd) => Check(fcntl(fd, F_SETFD, FdCloexec), "keep a descriptor private");

    private static void MarkRange(int first, int last)
    {
        if (syscall(Syscalls.CloseRange, first, unchecked((nint)(uint)last), (nint)CloseRangeCloexec) == 0)
        {
            return;
        }

        // Before Linux 5.11: walk the open descriptors instead.
        foreach (var entry in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var fd)
                && fd >= first && fd <= last)
            {
                var flags = fcntl(fd, FGetfd, 0);
                if (flags >= 0)
                {
                    _ = fcntl(fd, F_SETFD, flags | FdCloexec);
                }
            }
        }
    }
}
