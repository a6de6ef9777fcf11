namespace Scute.Engine.Packages;

/// <summary>
/// Finds the package manager of a base rootfs by the files it ships. Paths are resolved as a
/// chroot would (<see cref="RootfsLookup"/>): a symlink in the image never leads to a host file.
/// </summary>
public static class PackageManagerDetector
{
    private static readonly string[] BinDirs = ["/usr/bin", "/bin", "/usr/sbin", "/sbin"];

    /// <summary>In order of preference; each with the program and the database file that must both exist.</summary>
    private static readonly (Func<PackageManager> Create, string Program, string Database)[] Known =
    [
        (() => new AptManager(), "apt-get", "/var/lib/dpkg/status"),
        (() => new DnfManager(), "dnf", "/usr/bin/rpm"),
        (() => new ZypperManager(), "zypper", "/usr/bin/rpm"),
        (() => new PacmanManager(), "pacman", "/var/lib/pacman"),
        (() => new ApkManager(), "apk", ApkManager.InstalledDb),
    ];

    public const string Looked = "apt-get with dpkg, dnf or zypper with rpm, pacman, apk";

    /// <returns>The manager, or null when the rootfs has none of them.</returns>
    public static PackageManager? Detect(string rootfs)
    {
        ArgumentNullException.ThrowIfNull(rootfs);
        foreach (var (create, program, database) in Known)
        {
            if (BinDirs.Any(d => RootfsLookup.Exists(rootfs, $"{d}/{program}")) && RootfsLookup.Exists(rootfs, database))
            {
                return create();
            }
        }

        return null;
    }
}
