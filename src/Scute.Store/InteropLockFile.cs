using System.Runtime.InteropServices;

namespace Scute.Store;

/// <summary>The calls <see cref="StoreLock"/> uses to record the holder's pid in the lock file.</summary>
internal static partial class Interop
{
    [LibraryImport("libc", EntryPoint = "ftruncate", SetLastError = true)]
    public static partial int FTruncate(int fd, long length);

    [LibraryImport("libc", EntryPoint = "pwrite", SetLastError = true)]
    public static unsafe partial nint PWrite(int fd, byte* buffer, nuint count, long offset);

    [LibraryImport("libc", EntryPoint = "pread", SetLastError = true)]
    public static unsafe partial nint PRead(int fd, byte* buffer, nuint count, long offset);
}
