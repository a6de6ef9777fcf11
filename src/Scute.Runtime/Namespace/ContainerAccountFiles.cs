using System.Globalization;
using System.Runtime.InteropServices;
using static Scute.Core.Interop.Libc;
using static Scute.Runtime.Interop.SyscallCheck;

namespace Scute.Runtime.Namespace;

/// <summary>
/// Lays the run's own files over the root (the generated passwd and group, the host's
/// localtime) and makes the account's home, before pivot_root. Generated text goes into a
/// private tmpfs that is made read-only, bound file by file, then detached: nothing is written
/// to the image's layers or the store, and nothing of it stays visible but the bound files.
/// </summary>
internal static partial class ContainerAccountFiles
{
    private const string ScratchFolder = "run/.scute-files";

    /// <summary>After the manifest's mounts: the files lie over whatever is at their path.</summary>
    /// <param name="scratchParent">A private folder outside the root for the generated files' tmpfs; null: the run's own /run tmpfs inside the root.</param>
    public static void LayFiles(RunSpec spec, string? scratchParent = null)
    {
        var generated = spec.RootFiles.Where(f => f.Content is not null).ToList();
        if (generated.Count > 0)
        {
            BindGenerated(spec.MergedDir, generated, scratchParent is null ? Path.Combine(spec.MergedDir, ScratchFolder) : Path.Combine(scratchParent, "files"));
        }

        foreach (var file in spec.RootFiles.Where(f => f.Content is null && f.HostSource is not null))
        {
            // The engine resolved the host's symlinks; a path swapped for a link since then is refused here.
            var fd = NoSymlinkOpen.OpenPath(file.HostSource!);
            try
            {
                InRootFile.BindReadOnly(spec.MergedDir, file.Target, $"/proc/self/fd/{fd}");
            }
            finally
            {
                _ = close(fd);
            }
        }
    }

    private static void BindGenerated(string root, IReadOnlyList<RootFile> files, string scratch)
    {
        // Inside the root, /run is the run's own tmpfs (mounted by MountSystem), so the scratch mount point leaves no trace.
        Directory.CreateDirectory(scratch);
        Check(mount("tmpfs", scratch, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=755,size=4m"), "mount a tmpfs for the generated files");
        try
        {
            for (var i = 0; i < files.Count; i++)
            {
                var path = Path.Combine(scratch, i.ToString(CultureInfo.InvariantCulture));
                File.WriteAllText(path, files[i].Content);
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }

            // Binds of a read-only mount are read-only from the start.
            Check(mount(null, scratch, null, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, null), "make the generated files read-only");
            for (var i = 0; i < files.Count; i++)
            {
                InRootFile.BindReadOnly(root, files[i].Target, Path.Combine(scratch, i.ToString(CultureInfo.InvariantCulture)));
            }
        }
        finally
        {
            _ = umount2(scratch, MNT_DETACH);
            _ = rmdir(scratch);
        }
    }

    /// <summary>Before the manifest's mounts, so a mount below the home (~/.cache) lands on the home, not under it.</summary>
    public static void MakeHome(RunSpec spec)
    {
        if (spec.Home is not { } home)
        {
            return;
        }

        var path = RootfsPaths.EnsureDirectory(spec.MergedDir, home.Path);
        if (home.Tmpfs)
        {
            var options = string.Create(CultureInfo.InvariantCulture, $"mode=700,uid={spec.Uid},gid={spec.Gid}");
            Check(mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, options), $"mount a private home on {home.Path}");
            return;
        }

        // A folder the user owns in the upper layer: it is the environment's state (kept, snapshotted).
        Check(lchown(path, (uint)spec.Uid, (uint)spec.Gid), $"give {home.Path} to uid {spec.Uid}");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
