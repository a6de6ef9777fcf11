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
        // Plain loops: LINQ's generic iterators cost a type lookup at first use in the new process.
        var generated = new List<RootFile>(spec.RootFiles.Count);
        foreach (var file in spec.RootFiles)
        {
            if (file.Content is not null)
            {
                generated.Add(file);
            }
        }

        if (generated.Count > 0)
        {
            BindGenerated(spec.MergedDir, generated, scratchParent is null ? Path.Combine(spec.MergedDir, ScratchFolder) : Path.Combine(scratchParent, "files"));
        }

        foreach (var file in spec.RootFiles)
        {
            if (file.Content is not null || file.HostSource is null)
            {
                continue;
            }

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
                Write(scratch + "/" + i.ToString(CultureInfo.InvariantCulture), files[i].Content!);
            }

            // Binds of a read-only mount are read-only from the start, nosuid, nodev and noexec
            // as it is (a bind copies the mount's flags): nothing to change on each afterwards.
            Check(mount(null, scratch, null, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, null), "make the generated files read-only");
            for (var i = 0; i < files.Count; i++)
            {
                InRootFile.BindReadOnly(root, files[i].Target, scratch + "/" + i.ToString(CultureInfo.InvariantCulture), sourceIsReadOnly: true);
            }
        }
        finally
        {
            _ = umount2(scratch, MNT_DETACH);
            _ = rmdir(scratch);
        }
    }

    /// <summary>A new file of the scratch tmpfs, 0644 whatever the umask (open, write, fchmod, close; no FileStream).</summary>
    private static unsafe void Write(string path, string content)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(content);
        var fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0x1A4);
        Check(fd, $"write the generated file {path}");
        try
        {
            fixed (byte* p = bytes)
            {
                var done = 0;
                while (done < bytes.Length)
                {
                    var n = (int)write(fd, p + done, (nuint)(bytes.Length - done));
                    Check(n, $"write the generated file {path}");
                    done += n;
                }
            }

            Check(fchmod(fd, 0x1A4), $"set the mode of {path}");
        }
        finally
        {
            _ = close(fd);
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
