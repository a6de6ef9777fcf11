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
        foreach (var dir in spec.LowerDirs.Append(spec.UpperDir).Append(spec.WorkDir))
        {
            if (dir.IndexOfAny([':', ',']) >= 0)
            {
                throw new ContainerSetupException($"overlay folder {dir} contains ':' or ','; move the store to a plain path");
            }
        }

        var options = $"lowerdir={string.Join(':', spec.LowerDirs)},upperdir={spec.UpperDir},workdir={spec.WorkDir}";
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

        var tmpDirs = spec.ReadOnlyRoot ? new[] { ("/tmp", "1777"), ("/var/tmp", "1777"), ("/run", "755") } : [("/run", "755")];
        foreach (var (path, mode) in tmpDirs)
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
            if (!File.Exists(host) && !Directory.Exists(host))
            {
                continue;
            }

            var target = Path.Combine(dev, name);
            if (Directory.Exists(host))
            {
                Directory.CreateDirectory(target);
            }
            else
            {
                using (File.Create(target))
                {
                }
            }

            Check(mount(host, target, null, MS_BIND | MS_REC, null), $"bind device {host}");
        }

        foreach (var node in spec.DeviceNodes)
        {
            // The engine checked each is a device node under /dev; bound, never made (rootless cannot mknod).
            var target = dev + node.Path["/dev".Length..];
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            using (File.Create(target))
            {
            }

            Check(mount(node.HostPath, target, null, MS_BIND, null), $"bind device {node.HostPath}");
        }

        var pts = Directory.CreateDirectory(Path.Combine(dev, "pts")).FullName;
        var ptsOptions = groupsMapped ? "newinstance,ptmxmode=0666,mode=0620,gid=5" : "newinstance,ptmxmode=0666,mode=0620";
        if (mount("devpts", pts, "devpts", MS_NOSUID | MS_NOEXEC, ptsOptions) == 0)
        {
            _ = symlink("pts/ptmx", Path.Combine(dev, "ptmx"));
        }

        var shm = Directory.CreateDirectory(Path.Combine(dev, "shm")).FullName;
        Check(mount("shm", shm, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=65536k"), "mount /dev/shm");
        _ = symlink("/proc/self/fd", Path.Combine(dev, "fd"));
        _ = symlink("/proc/self/fd/0", Path.Combine(dev, "stdin"));
        _ = symlink("/proc/self/fd/1", Path.Combine(dev, "stdout"));
        _ = symlink("/proc/self/fd/2", Path.Combine(dev, "stderr"));
    }

    /// <summary>The run spec's private tmpfs folders, before the binds that may land in them.</summary>
    public static void MountTmpfs(RunSpec spec)
    {
        foreach (var t in spec.Tmpfs)
        {
            var target = RootfsPaths.EnsureDirectory(spec.MergedDir, t.Path);
            var options = t.UserOwned ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"mode={t.Mode},uid={spec.Uid},gid={spec.Gid}") : $"mode={t.Mode}";
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
