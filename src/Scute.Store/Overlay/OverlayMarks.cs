using System.Text;
using Microsoft.Win32.SafeHandles;
using Scute.Core.Interop;

namespace Scute.Store.Overlay;

/// <summary>
/// How the kernel overlayfs records deletions in an upper dir. Mounted in a user namespace with
/// "userxattr" (as Scute mounts it), a removed path is a 0/0 character device (a whiteout, which
/// an unprivileged user may mknod since Linux 5.8) and a folder that hides everything below it
/// carries the xattr user.overlay.opaque="y" (trusted.overlay.opaque for a root mount).
/// In a snapshot tar an opaque folder is marked by an empty file named <see cref="OpaqueMarker"/>
/// inside it (the OCI convention), since the deterministic tar carries no xattrs.
/// </summary>
public static class OverlayMarks
{
    public const string OpaqueMarker = ".wh..wh..opq";
    public const string UserOpaqueXattr = "user.overlay.opaque";
    private const string TrustedOpaqueXattr = "trusted.overlay.opaque";

    public static bool IsOpaque(string dir) => HasYes(dir, UserOpaqueXattr) || HasYes(dir, TrustedOpaqueXattr);

    public static bool IsWhiteout(string path)
    {
        if (Interop.LStat(Interop.AtFdCwd, path, out var st) != 0)
        {
            return false;
        }

        return (st.Mode & Interop.SIfMt) == Interop.SIfChr && st.RdevMajor == 0 && st.RdevMinor == 0;
    }

    /// <summary>Same as <see cref="IsOpaque(string)"/> for a folder the caller opened: no path is resolved.</summary>
    internal static bool IsOpaque(SafeFileHandle dir) => HasYes(dir, UserOpaqueXattr) || HasYes(dir, TrustedOpaqueXattr);

    private static bool HasYes(SafeFileHandle dir, string name)
    {
        Span<byte> value = stackalloc byte[8];
        var n = Libc.fgetxattr(Tar.ConfinedTree.Fd(dir), name, value, (nuint)value.Length);
        return n == 1 && value[0] == (byte)'y';
    }

    private static bool HasYes(string path, string name)
    {
        Span<byte> value = stackalloc byte[8];
        var n = Libc.lgetxattr(path, name, value, (nuint)value.Length);
        return n == 1 && value[0] == (byte)'y';
    }

    internal static void MarkOpaque(int dirFd, string entryName)
    {
        var yes = Encoding.ASCII.GetBytes("y");
        if (Libc.fsetxattr(dirFd, UserOpaqueXattr, yes, (nuint)yes.Length, 0) != 0)
        {
            throw new IOException($"{entryName}: cannot mark the folder opaque ({UserOpaqueXattr}): {Interop.ErrorText(Interop.LastError)}");
        }
    }
}
