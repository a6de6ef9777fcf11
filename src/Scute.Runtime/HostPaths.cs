using System.Runtime.InteropServices;

namespace Scute.Runtime;

/// <summary>Host path resolution with every symlink followed, as the kernel would.</summary>
public static class HostPaths
{
    /// <summary>The canonical absolute path (realpath(3)), or null when it does not exist.</summary>
    public static string? RealPath(string path)
    {
        var p = Core.Interop.Libc.realpath(path, 0);
        if (p == 0)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(p);
        }
        finally
        {
            Core.Interop.Libc.free(p);
        }
    }
}
