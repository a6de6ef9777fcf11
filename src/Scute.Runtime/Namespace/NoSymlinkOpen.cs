using System.Runtime.InteropServices;
using static Scute.Core.Interop.Libc;

namespace Scute.Runtime.Namespace;

/// <summary>
/// Opens an already canonical host path as an O_PATH descriptor refusing any symlink on the way
/// (openat2 RESOLVE_NO_SYMLINKS; a component-by-component O_NOFOLLOW walk where openat2 is
/// missing). A path swapped for a symlink after the engine checked it fails here instead of
/// redirecting the mount.
/// </summary>
public static unsafe partial class NoSymlinkOpen
{
    private const int AT_FDCWD = -100;
    private const ulong RESOLVE_NO_MAGICLINKS = 0x02;
    private const ulong RESOLVE_NO_SYMLINKS = 0x04;
    private const int ENOSYS = 38;
    private const long SysOpenat2 = 437; // same number on x86_64 and aarch64

    [StructLayout(LayoutKind.Sequential)]
    private struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    /// <summary>The descriptor, or a <see cref="ContainerSetupException"/> naming the path.</summary>
    public static int OpenPath(string path)
    {
        if (!path.StartsWith('/'))
        {
            throw new ContainerSetupException($"mount source {path} is not absolute");
        }

        var how = new OpenHow { Flags = (ulong)(O_PATH | O_CLOEXEC), Resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS };
        var bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        int fd;
        fixed (byte* p = bytes)
        {
            fd = (int)syscall(SysOpenat2, AT_FDCWD, (nint)p, (nint)(&how), (nint)sizeof(OpenHow));
        }

        if (fd >= 0)
        {
            return fd;
        }

        var errno = Errno;
        return errno == ENOSYS
            ? WalkWithoutFollowing(path)
            : throw new ContainerSetupException($"mount source {path} changed after it was checked or cannot be opened: {Describe(errno)}", errno);
    }

    private static int WalkWithoutFollowing(string path)
    {
        var fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var next = openat(fd, part, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
            var errno = Errno;
            _ = close(fd);
            if (next < 0)
            {
                throw new ContainerSetupException($"mount source {path} changed after it was checked or cannot be opened: {Describe(errno)}", errno);
            }

            fd = next;
        }

        return fd;
    }
}
