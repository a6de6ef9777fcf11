using System.Runtime.InteropServices;

namespace Scute.Store;

/// <summary>Starting writeback of what is already written, so the fsync before an object is placed has little left to do.</summary>
internal static partial class Interop
{
    public const uint SyncFileRangeWrite = 2;

    [LibraryImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    public static partial int SyncFileRange(int fd, long offset, long nbytes, uint flags);
}
