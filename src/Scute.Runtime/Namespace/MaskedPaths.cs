using static Scute.Core.Interop.Libc;
using static Scute.Runtime.Interop.SyscallCheck;

namespace Scute.Runtime.Namespace;

/// <summary>
/// Kernel interfaces no environment may read or change (DESIGN §2.1, never relaxed): masked
/// ones read empty, read-only ones cannot be written. The lists follow runc's defaults.
/// </summary>
internal static class MaskedPaths
{
    public static readonly string[] Masked =
    [
        "/proc/acpi", "/proc/asound", "/proc/interrupts", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
        "/proc/sched_debug", "/proc/scsi", "/proc/timer_list", "/proc/timer_stats",
        "/sys/devices/virtual/powercap", "/sys/firmware",
    ];

    public static readonly string[] ReadOnly = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

    /// <summary>Applies both lists under the new root, before pivot_root.</summary>
    public static void Apply(string root)
    {
        // One empty read-only tmpfs serves every masked folder: its binds inherit its flags
        // (read-only, nosuid, nodev, noexec), and a bind costs less than a new superblock.
        string? emptyFolder = null;
        foreach (var path in Masked)
        {
            var target = root + path;
            switch (FileKind.Of(target, follow: true))
            {
                case FileKind.Directory when emptyFolder is null:
                    Check(mount("tmpfs", target, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=0,mode=555"), $"mask {path}");
                    emptyFolder = target;
                    break;
                case FileKind.Directory:
                    Check(mount(emptyFolder, target, null, MS_BIND, null), $"mask {path}");
                    break;
                case FileKind.Missing:
                    break;
                default:
                    Check(mount("/dev/null", target, null, MS_BIND, null), $"mask {path}");
                    break;
            }
        }

        foreach (var path in ReadOnly)
        {
            var target = root + path;
            if (FileKind.Of(target, follow: false) == FileKind.Missing)
            {
                continue;
            }

            Check(mount(target, target, null, MS_BIND | MS_REC, null), $"bind {path}");
            ReadOnlyTree.Apply(target); // /proc/sys/fs/binfmt_misc and the like too
        }
    }
}
