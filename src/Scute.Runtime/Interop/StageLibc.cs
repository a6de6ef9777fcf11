using System.Runtime.InteropServices;

namespace Scute.Runtime.Interop;

/// <summary>The calls the namespace backend's native stage needs: its own export, and memfd_create for the run spec.</summary>
internal static partial class StageLibc
{
    public const uint MfdCloexec = 1;

    [LibraryImport("libc", EntryPoint = "memfd_create", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MemfdCreate(string name, uint flags);

    /// <summary>
    /// 1 in the command process the native stage (nsstage.c, linked into the published scute)
    /// made; 0 otherwise. Missing altogether in a build without the stage (dotnet scute.dll).
    /// </summary>
    [LibraryImport("nsstage", EntryPoint = "scute_nsstage_command")]
    public static partial int NamespaceStageCommand();
}
