using System.Diagnostics;
using Scute.Runtime.Interop;
using static Scute.Core.Interop.Libc;
using static Scute.Runtime.Interop.SyscallCheck;

namespace Scute.Runtime.Namespace;

/// <summary>Builds the container's mount tree under the merged folder, before pivot_root.</summary>
internal static class ContainerMounts
{
    public const string OverlayVariable = "SCUTE_OVERLAY";

    public static void MountRoot(RunSpec spec)
    {
        Check(mount(null, "/", null, MS_REC | MS_PRIVATE, null), "make mounts private");
        var options = ContainerMountPlan.OverlayOptions(spec);
        // SCUTE_OVERLAY=fuse skips the kernel's overlayfs (as Podman's mount_program does).
        // userxattr (Linux 5.11+): opaque folders as user.overlay.* xattrs, which an unprivileged
        // user can set; without it removing a lower folder fails with EIO in a user namespace.
        var forceFuse = Environment.GetEnvironmentVariable(OverlayVariable) == "fuse";
        if (!forceFuse && (mount("overlay", spec.MergedDir, "overlay", 0, options + ",userxattr") == 0
            || mount("overlay", spec.MergedDir, "overlay", 0, options) == 0))
        {
            return;
        }

        var kernelError = forceFuse ? $"{OverlayVariable}=fuse" : Describe(Errno);
        if (!File.Exists(FuseOverlay))
        {
            throw new ContainerSetupException($"mount overlay on {spec.MergedDir}: {kernelError}, and fuse-overlayfs is not installed");
        }

        if (!MountWithFuseOverlay(options, spec.MergedDir))
        {
            throw new ContainerSetupException($"mount overlay on {spec.MergedDir}: {kernelError}, and fuse-overlayfs failed (see above)");
        }
    }

    private const string FuseOverlay = "/usr/bin/fuse-overlayfs";

    private static bool MountWithFuseOverlay(string options, string merged)
    {
        var psi = new ProcessStartInfo(FuseOverlay) { UseShellExecute = false };
        psi.ArgumentList.Add("-o");
        psi.ArgumentList.Add(options);
        psi.ArgumentList.Add(merged);
        using var p = Process.Start(psi)!;
        p.WaitForExit();
        return p.ExitCode == 0;
    }

    public static void MountSystem(RunSpec spec, bool groupsMapped)
    {
        var root = spec.MergedDir;
        var proc = RootfsPaths.EnsureDirectory(root, "/proc");
        Check(mount("proc", proc, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, null), "mount /proc");

        var sys = RootfsPaths.EnsureDirectory(root, "/sys");
        // A new network namespace may have its own sysfs (showing only its interfaces); else the host's, read-only.
        var ownSysfs = spec.NetworkIsolation
            && mount("sysfs", sys, "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, null) == 0;
        if (!ownSysfs)
        {
            Check(mount("/sys", sys, null, MS_BIND | MS_REC, null), "bind /sys");
        }

        // The host's cgroup, debugfs ... mounts come along with the recursive bind: all read-only.
        ReadOnlyTree.Apply(sys);

        MaskedPaths.Apply(root);
        MountDev(spec, root, groupsMapped);

        foreach (var (path, mode) in ContainerMountPlan.SystemTmpfs(spec.ReadOnlyRoot))
        {
            var target = RootfsPaths.EnsureDirectory(root, path);
            Check(mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV, $"mode={mode}"), $"mount tmpfs on {path}");
        }
    }

    /// <summary>
    /// /dev with the allowed devices, /dev/tty among them with every backend (the runtime spec's
    /// default set, which Podman's runtime always adds): it means "my controlling terminal", and
    /// the command has none but its own pty (it runs in a new session), so without one opening it
    /// fails with ENXIO and no terminal of the caller's is reachable (docs/security-model.md).
    /// </summary>
    internal static void MountDev(RunSpec spec, string root, bool groupsMapped)
    {
        var dev = RootfsPaths.EnsureDirectory(root, "/dev");
        Check(mount("tmpfs", dev, "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k"), "mount /dev");
        foreach (var name in spec.Devices)
        {
            var host = "/dev/" + name;
            var kind = FileKind.Of(host, follow: true);
            if (kind == FileKind.Missing)
            {
                continue;
            }

            // The new /dev is this start's own empty tmpfs: nothing of the image is under it.
            var target = dev + "/" + name;
            if (kind == FileKind.Directory)
            {
                Directory.CreateDirectory(target);
            }
            else
            {
                RootfsPaths.CreateEmpty(target, $"bind device {host}");
            }

            Check(mount(host, target, null, MS_BIND | MS_REC, null), $"bind device {host}");
        }

        foreach (var node in spec.DeviceNodes)
        {
            // The engine checked each is a device node under /dev; bound, never made (rootless cannot mknod).
            var target = ContainerMountPlan.DeviceTarget(dev, node);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            RootfsPaths.CreateEmpty(target, $"bind device {node.HostPath}");
            Check(mount(node.HostPath, target, null, MS_BIND, null), $"bind device {node.HostPath}");
        }

        var pts = dev + "/pts";
        MakeFolder(pts);
        var ptsOptions = ContainerMountPlan.DevPtsOptions(groupsMapped);
        if (mount("devpts", pts, "devpts", MS_NOSUID | MS_NOEXEC, ptsOptions) == 0)
        {
            _ = symlink("pts/ptmx", Path.Combine(dev, "ptmx"));
        }

        var shm = dev + "/shm";
        MakeFolder(shm);
        Check(mount("shm", shm, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=65536k"), "mount /dev/shm");
        _ = symlink("/proc/self/fd", Path.Combine(dev, "fd"));
        _ = symlink("/proc/self/fd/0", Path.Combine(dev, "stdin"));
        _ = symlink("/proc/self/fd/1", Path.Combine(dev, "stdout"));
        _ = symlink("/proc/self/fd/2", Path.Combine(dev, "stderr"));
    }

    /// <summary>A folder in the new /dev (a device of the allowed list may have made it already).</summary>
    private static void MakeFolder(string path)
    {
        if (mkdir(path, 0x1ED) != 0 && Errno != EEXIST)
        {
            throw new ContainerSetupException($"make {path}: {Describe(Errno)}");
        }
    }

    /// <summary>The run spec's private tmpfs folders, before the binds that may land in them.</summary>
    public static void MountTmpfs(RunSpec spec)
    {
        foreach (var t in spec.Tmpfs)
        {
            var target = RootfsPaths.EnsureDirectory(spec.MergedDir, t.Path);
            var options = ContainerMountPlan.TmpfsOptions(t, spec.Uid, spec.Gid);
            Check(mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV, options), $"mount a private tmpfs on {t.Path}");
        }
    }

    /// <summary>
    /// Binds each host source through an O_PATH descriptor opened after the engine's checks, so
    /// the mount uses the object that was checked even if the path is swapped later.
    /// </summary>
    public static void MountBinds(RunSpec spec)
    {
        foreach (var bind in spec.Mounts)
        {
            var fd = NoSymlinkOpen.OpenPath(bind.Source);

            try
            {
                var target = Directory.Exists($"/proc/self/fd/{fd}")
                    ? RootfsPaths.EnsureDirectory(spec.MergedDir, bind.Target)
                    : RootfsPaths.EnsureFile(spec.MergedDir, bind.Target);
                Check(mount($"/proc/self/fd/{fd}", target, null, MS_BIND | MS_REC, null), $"bind {bind.Source} on {bind.Target}");
                if (bind.ReadOnly)
                {
                    ReadOnlyTree.Apply(target, noExec: false); // and whatever is mounted below the source
                }
            }
            finally
            {
                _ = close(fd);
            }
        }
    }

    public static void PivotInto(RunSpec spec)
    {
        Check(chdir(spec.MergedDir), "enter new root");
        Check((int)syscall(Syscalls.PivotRoot, Marshal(".") , Marshal("."), 0), "pivot_root");
        Check(umount2(".", MNT_DETACH), "detach old root");
        Check(chdir("/"), "chdir /");
        if (spec.ReadOnlyRoot)
        {
            Check(mount(null, "/", null, MS_REMOUNT | MS_BIND | MS_RDONLY, null), "make / read-only");
        }
    }

    private static nint Marshal(string s) => System.Runtime.InteropServices.Marshal.StringToCoTaskMemUTF8(s);
}
