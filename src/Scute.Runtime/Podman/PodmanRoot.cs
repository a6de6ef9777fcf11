using System.Globalization;

namespace Scute.Runtime.Podman;

/// <summary>
/// The environment's overlay for `podman run --rootfs` (a writable root): its mount options, its
/// mount point, and the account's home to make a folder of it (null when a tmpfs or the tree
/// gives it), owned by the ids that are the user inside the container in Podman's namespace.
/// </summary>
public sealed record PodmanRoot(string Options, string MountPoint, string? Home = null, int HomeUid = 0, int HomeGid = 0)
{
    /// <summary>The guard's arguments after its pid file.</summary>
    public string[] Arguments() =>
        Home is null
            ? [Options, MountPoint]
            : [Options, MountPoint, Home, HomeUid.ToString(CultureInfo.InvariantCulture), HomeGid.ToString(CultureInfo.InvariantCulture)];

    /// <summary>Back from <see cref="Arguments"/>; null when they are not its.</summary>
    public static PodmanRoot? Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return args.Count switch
        {
            2 => new PodmanRoot(args[0], args[1]),
            5 when int.TryParse(args[3], NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
                && int.TryParse(args[4], NumberStyles.None, CultureInfo.InvariantCulture, out var gid) => new PodmanRoot(args[0], args[1], args[2], uid, gid),
            _ => null,
        };
    }
}
