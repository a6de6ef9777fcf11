using Scute.Core.Interop;

namespace Scute.Engine.Packages;

/// <summary>
/// Resolves a path inside a rootfs the way the kernel would after chroot into it: an absolute
/// symlink target starts again at the rootfs, ".." stops at the rootfs. Every component is
/// inspected without following it, so nothing outside the rootfs is ever reached.
/// </summary>
public static class RootfsLookup
{
    private const int MaxLinks = 40;

    public static bool Exists(string rootfs, string containerPath) => Resolve(rootfs, containerPath) is not null;

    /// <summary>The path inside the rootfs that <paramref name="containerPath"/> leads to, with every symlink replaced; null when it does not exist.</summary>
    public static string? Resolve(string rootfs, string containerPath)
    {
        ArgumentNullException.ThrowIfNull(rootfs);
        ArgumentNullException.ThrowIfNull(containerPath);
        var pending = new Stack<string>(containerPath.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        var resolved = new List<string>();
        var links = 0;
        while (pending.TryPop(out var part))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (resolved.Count > 0)
                {
                    resolved.RemoveAt(resolved.Count - 1);
                }

                continue;
            }

            var host = Path.Combine([rootfs, .. resolved, part]);
            switch (Kind(host))
            {
                case PlainEntry:
                    resolved.Add(part);
                    continue;
                case NoEntry:
                    return null;
            }

            // A link, or an error other than "missing": FileSystemInfo decides, as it always has.
            FileSystemInfo info = new FileInfo(host);
            if (!info.Exists && !Directory.Exists(host) && info.LinkTarget is null)
            {
                return null;
            }

            if (info.LinkTarget is { } target)
            {
                if (++links > MaxLinks)
                {
                    return null;
                }

                if (target.StartsWith('/'))
                {
                    resolved.Clear();
                }

                foreach (var t in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
                {
                    pending.Push(t);
                }

                continue;
            }

            resolved.Add(part);
        }

        return "/" + string.Join('/', resolved);
    }

    private const int PlainEntry = 1;
    private const int NoEntry = 2;
    private const int AskFileSystemInfo = 3;

    /// <summary>
    /// One statx that does not follow the last component: most components are plain folders and
    /// files, which FileInfo, Directory.Exists and LinkTarget would spend three calls each on.
    /// </summary>
    private static int Kind(string host)
    {
        if (Libc.statx(Libc.AT_FDCWD, host, Libc.AT_SYMLINK_NOFOLLOW, Libc.STATX_BASIC_STATS, out var st) != 0)
        {
            return Libc.Errno == Libc.ENOENT ? NoEntry : AskFileSystemInfo;
        }

        return (st.Mode & TypeMask) == SymlinkType ? AskFileSystemInfo : PlainEntry;
    }

    private const int TypeMask = 0xF000;
    private const int SymlinkType = 0xA000;
}
