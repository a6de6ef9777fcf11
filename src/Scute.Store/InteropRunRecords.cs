using System.Runtime.InteropServices;

namespace Scute.Store;

/// <summary>The call <see cref="RunRecordFolders"/> needs to tell whether $XDG_RUNTIME_DIR is ours.</summary>
internal static partial class Interop
{
    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint GetEUid();
}
