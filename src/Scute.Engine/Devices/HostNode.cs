using Scute.Core.Interop;

namespace Scute.Engine.Devices;

/// <summary>What a host path is, read with statx without following a final symlink.</summary>
internal readonly record struct HostNode(uint Uid, uint Mode, uint RdevMajor, uint RdevMinor)
{
    private const uint TypeMask = 0xF000;

    public bool IsSymlink => (Mode & TypeMask) == 0xA000;

    public bool IsCharDevice => (Mode & TypeMask) == 0x2000;

    public bool IsBlockDevice => (Mode & TypeMask) == 0x6000;

    /// <summary>Null when the path does not exist or cannot be looked at.</summary>
    public static HostNode? Of(string path)
    {
        const uint STATX_TYPE_MODE_UID = 0x1 | 0x2 | 0x8;
        return Libc.statx(Libc.AT_FDCWD, path, Libc.AT_SYMLINK_NOFOLLOW, STATX_TYPE_MODE_UID, out var s) != 0
            ? null
            : new HostNode(s.Uid, s.Mode, s.RdevMajor, s.RdevMinor);
    }
}

/// <summary>Whether root alone could have written a path: owned by uid 0, writable by no group or other, not a symlink.</summary>
internal static class TrustedFile
{
    public static string? RootOwned(string path) => HostNode.Of(path) switch
    {
        null => "cannot be read",
        { IsSymlink: true } => "is a symlink",
        { Uid: not 0 } n => $"is owned by uid {n.Uid}, not root",
        { } n when (n.Mode & 0x12) != 0 => "is writable by its group or others",
        _ => null,
    };
}
