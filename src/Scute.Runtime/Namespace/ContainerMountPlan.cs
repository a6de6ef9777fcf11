using System.Globalization;

namespace Scute.Runtime.Namespace;

/// <summary>
/// The decisions <see cref="ContainerMounts"/> acts on, as data decided from the run spec
/// alone (which folders, in what order, with which options), so they are tested without a
/// namespace; ContainerMounts only performs them.
/// </summary>
internal static class ContainerMountPlan
{
    /// <summary>overlayfs options: lower folders topmost first, then upper and work. ':' and ',' would split an option, so they are refused.</summary>
    public static string OverlayOptions(RunSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        // Plain loops: LINQ's generic iterators cost a type lookup at first use in the new process.
        foreach (var dir in spec.LowerDirs)
        {
            RefuseSeparators(dir);
        }

        RefuseSeparators(spec.UpperDir);
        RefuseSeparators(spec.WorkDir);
        return $"lowerdir={string.Join(':', spec.LowerDirs)},upperdir={spec.UpperDir},workdir={spec.WorkDir}";
    }

    private static void RefuseSeparators(string dir)
    {
        if (dir.AsSpan().IndexOfAny(':', ',') >= 0)
        {
            throw new ContainerSetupException($"overlay folder {dir} contains ':' or ','; move the store to a plain path");
        }
    }

    /// <summary>
    /// The root's private tmpfs folders in mount order, with their modes: under a read-only root
    /// /tmp and /var/tmp too (as Podman's --read-only), /run always.
    /// </summary>
    public static IReadOnlyList<(string Path, string Mode)> SystemTmpfs(bool readOnlyRoot) =>
        readOnlyRoot ? [("/tmp", "1777"), ("/var/tmp", "1777"), ("/run", "755")] : [("/run", "755")];

    /// <summary>A run spec tmpfs: owned by the command's user when it says so, else by root inside.</summary>
    public static string TmpfsOptions(TmpfsMount tmpfs, int uid, int gid)
    {
        ArgumentNullException.ThrowIfNull(tmpfs);
        return tmpfs.UserOwned ? string.Create(CultureInfo.InvariantCulture, $"mode={tmpfs.Mode},uid={uid},gid={gid}") : $"mode={tmpfs.Mode}";
    }

    /// <summary>devpts of its own; gid=5 (tty) only exists inside when the subordinate groups are mapped.</summary>
    public static string DevPtsOptions(bool groupsMapped) =>
        groupsMapped ? "newinstance,ptmxmode=0666,mode=0620,gid=5" : "newinstance,ptmxmode=0666,mode=0620";

    /// <summary>Where a host device node is bound: its path under /dev, below the new /dev at <paramref name="dev"/>.</summary>
    public static string DeviceTarget(string dev, DeviceNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return dev + node.Path["/dev".Length..];
    }
}
