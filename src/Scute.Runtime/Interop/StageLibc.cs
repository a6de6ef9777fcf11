using System.Runtime.InteropServices;

namespace Scute.Runtime.Interop;

/// <summary>The native stage's own export (not libc: nsstage.c, linked into the published scute).</summary>
internal static partial class StageLibc
{
    /// <summary>
    /// 1 in the command process the native stage made; 0 otherwise. Missing altogether in a
    /// build without the stage (dotnet scute.dll).
    /// </summary>
    [LibraryImport("nsstage", EntryPoint = "scute_nsstage_command")]
    public static partial int NamespaceStageCommand();
}
