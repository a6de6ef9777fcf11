using System.Runtime.InteropServices;
using static Scute.Core.Interop.Libc;
using static Scute.Runtime.Interop.SyscallCheck;

namespace Scute.Runtime.Namespace;

/// <summary>
/// Binds a file over a path of the new root without following any symlink of the image: each
/// folder is walked with O_NOFOLLOW from the root's descriptor, and the last component is
/// opened as itself. When the image's path is a symlink (Debian's /etc/localtime points into
/// /usr/share/zoneinfo), the mount covers the link, not what it points to, so the bind can
/// neither leave the root nor change a second file inside it.
/// </summary>
internal static partial class InRootFile
{
    private const int O_EXCL = 0x80;

    /// <param name="source">A path the init stage can reach before pivot_root (a /proc/self/fd link or its own tmpfs).</param>
    /// <param name="sourceIsReadOnly">The source's mount is already read-only, nosuid, nodev and noexec, which its bind keeps.</param>
    public static void BindReadOnly(string root, string containerPath, string source, bool sourceIsReadOnly = false)
    {
        var parts = containerPath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || parts.Any(p => p is "." or ".."))
        {
            throw new ContainerSetupException($"file target {containerPath} is not a plain absolute path; refused");
        }

        var dir = OpenFolder(root, containerPath, parts[..^1]);
        try
        {
            var target = OpenOrCreate(dir, parts[^1], containerPath);
            try
            {
                Check(mount(source, $"/proc/self/fd/{target}", null, MS_BIND, null), $"bind a file on {containerPath}");
            }
            finally
            {
                _ = close(target);
            }

            if (sourceIsReadOnly)
            {
                return;
            }

            // Opened again, the name now leads to the mount's root: that is what becomes read-only.
            var mounted = openat(dir, parts[^1], O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
            Check(mounted, $"open {containerPath} after binding it");
            try
            {
                ReadOnlyTree.Apply($"/proc/self/fd/{mounted}");
            }
            finally
            {
                _ = close(mounted);
            }
        }
        finally
        {
            _ = close(dir);
        }
    }

    /// <summary>The folder holding the target, walked from the root without following a link; missing folders are made (in the upper layer).</summary>
    private static int OpenFolder(string root, string containerPath, IEnumerable<string> folders)
    {
        var fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
        Check(fd, $"open the new root {root}");
        foreach (var part in folders)
        {
            var next = openat(fd, part, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
            if (next < 0 && Errno == ENOENT && (mkdirat(fd, part, 0x1ED) == 0 || Errno == EEXIST))
            {
                next = openat(fd, part, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
            }

            var errno = Errno;
            _ = close(fd);
            if (next < 0)
            {
                throw new ContainerSetupException($"file target {containerPath}: {part} is a symlink or not a folder ({Describe(errno)}); refused", errno);
            }

            fd = next;
        }

        return fd;
    }

    private static int OpenOrCreate(int dir, string name, string containerPath)
    {
        var fd = openat(dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
        if (fd < 0 && Errno == ENOENT)
        {
            // The image lacks it: an empty file in the environment's upper layer is the mount point.
            var created = openat(dir, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0x1A4);
            if (created >= 0)
            {
                _ = close(created);
            }

            fd = openat(dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
        }

        Check(fd, $"open {containerPath} in the new root");
        return fd;
    }
}
