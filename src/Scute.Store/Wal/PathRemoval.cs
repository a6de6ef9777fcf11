using Microsoft.Win32.SafeHandles;
using Scute.Store.Tar;
using Scute.Core.Interop;

namespace Scute.Store.Wal;

/// <summary>
/// Deletes a file or tree without ever following a symlink, including folders made read-only
/// (overlay work dirs are left mode 000 by the kernel). Missing paths are fine: replay is idempotent.
/// <para>
/// Only the parent of <c>path</c> is opened by path (a store folder). Below it, everything
/// goes through descriptors (DESIGN 2.4): a name is unlinked relative to its folder's
/// descriptor; one that is a folder is opened with O_NOFOLLOW | O_DIRECTORY, listed from that
/// descriptor, emptied and removed with unlinkat(AT_REMOVEDIR). A folder swapped for a symlink
/// at any moment fails the open, and the symlink itself is then unlinked: the walk never lands
/// outside the tree. A name that keeps changing type is given up on after a few tries.
/// </para>
/// Throws <see cref="UnauthorizedAccessException"/> when a file cannot be removed for lack of
/// rights (files of subordinate ids: the caller can retry from a user namespace).
/// </summary>
public static class PathRemoval
{
    private const int MaxAttempts = 8;
    private const uint OwnerRwx = 0x1C0;

    public static void Remove(string path) => Remove(path, beforeOpen: null);

    /// <param name="beforeOpen">Test seam: runs with a folder's relative path after it was found, before it is opened.</param>
    internal static void Remove(string path, Action<string>? beforeOpen)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var parentPath = Path.GetDirectoryName(full);
        var name = Path.GetFileName(full);
        if (parentPath is null || name.Length == 0)
        {
            throw new ArgumentException($"refusing to remove {path}", nameof(path));
        }

        var fd = Libc.open(parentPath, Interop.ORdOnly | Interop.ODirectory | Interop.OCloExec, 0);
        if (fd < 0)
        {
            var errno = Interop.LastError;
            if (errno is Interop.ENoEnt or Interop.ENotDir)
            {
                return;
            }

            throw Failure(full, "cannot open its folder", errno);
        }

        using var parent = new SafeFileHandle(fd, ownsHandle: true);
        new Remover(beforeOpen, parentPath).Run(parent, name);
    }

    /// <summary>One removal: a stack of folders being emptied, each with its listing and its parent. Relative paths start at <paramref name="root"/>.</summary>
    private sealed class Remover(Action<string>? beforeOpen, string root)
    {
        public void Run(SafeFileHandle parent, string name)
        {
            var first = Begin(parent, name, name);
            if (first is null)
            {
                return;
            }

            var stack = new Stack<Frame>();
            stack.Push(Frame.Listed(first, parent, name, name));
            try
            {
                while (stack.TryPeek(out var top))
                {
                    if (top.Next < top.Names.Count)
                    {
                        var child = top.Names[top.Next++];
                        var relative = top.Relative + "/" + child.Name;
                        if (Begin(top.Dir, child.Name, relative) is { } dir)
                        {
                            stack.Push(Frame.Listed(dir, top.Dir, child.Name, relative));
                        }

                        continue;
                    }

                    if (Libc.unlinkat(ConfinedTree.Fd(top.Parent), top.Name, Interop.AtRemoveDir) == 0)
                    {
                        stack.Pop().Dir.Dispose();
                        continue;
                    }

                    var errno = Interop.LastError;
                    if (++top.Attempts >= MaxAttempts)
                    {
                        throw Failure(Path.Join(root, top.Relative), "it kept changing while being removed", errno);
                    }

                    switch (errno)
                    {
                        case Interop.ENoEnt:
                            stack.Pop().Dir.Dispose();
                            break;
                        case Interop.ENotEmpty or Interop.EExist:
                            // Something was added meanwhile: list again.
                            top.Names = DirectoryEntries.ReadAgain(top.Dir, top.Relative + "/");
                            top.Next = 0;
                            break;
                        case Interop.ENotDir:
                            // The name is no longer the folder we emptied: remove whatever it is now.
                            var frame = stack.Pop();
                            frame.Dir.Dispose();
                            if (Begin(frame.Parent, frame.Name, frame.Relative) is { } again)
                            {
                                var retried = Frame.Listed(again, frame.Parent, frame.Name, frame.Relative);
                                retried.Attempts = frame.Attempts;
                                stack.Push(retried);
                            }

                            break;
                        default:
                            throw Failure(Path.Join(root, top.Relative), "cannot remove the folder", errno);
                    }
                }
            }
            finally
            {
                while (stack.TryPop(out var frame))
                {
                    frame.Dir.Dispose();
                }
            }
        }

        /// <summary>Unlinks a non-folder; for a folder, returns it opened (and writable) to be emptied. Null when nothing is left to do.</summary>
        private SafeFileHandle? Begin(SafeFileHandle parent, string name, string relative)
        {
            for (var attempt = 0; attempt < MaxAttempts; attempt++)
            {
                if (Libc.unlinkat(ConfinedTree.Fd(parent), name, 0) == 0)
                {
                    return null;
                }

                var errno = Interop.LastError;
                if (errno == Interop.ENoEnt)
                {
                    return null;
                }

                if (errno != Interop.EIsDir)
                {
                    throw Failure(Path.Join(root, relative), "cannot remove it", errno);
                }

                beforeOpen?.Invoke(relative);
                if (OpenFolder(parent, name, relative) is { } dir)
                {
                    return dir;
                }

                // No longer a folder (a symlink now, say): unlink that instead.
            }

            throw Failure(Path.Join(root, relative), "it kept changing while being removed", 0);
        }

        /// <summary>
        /// Opens a folder to empty it, never following a symlink; null if the name is not a folder
        /// any more. A folder without read or write permission for its owner (mode 000 work dirs)
        /// is made 0700 first: through an O_PATH descriptor of that very folder, so the chmod
        /// cannot be redirected either.
        /// </summary>
        private SafeFileHandle? OpenFolder(SafeFileHandle parent, string name, string relative)
        {
            var flags = Interop.ORdOnly | Interop.ODirectory | Interop.ONoFollow | Interop.OCloExec;
            var fd = Libc.openat(ConfinedTree.Fd(parent), name, flags, 0);
            var errno = fd < 0 ? Interop.LastError : 0;
            if (errno == Interop.EAcces)
            {
                fd = OpenUnreadable(parent, name, relative, out errno);
            }

            if (fd < 0)
            {
                return errno is Interop.ENoEnt or Interop.ENotDir or Interop.ELoop
                    ? null
                    : throw Failure(Path.Join(root, relative), "cannot open the folder", errno);
            }

            var dir = new SafeFileHandle(fd, ownsHandle: true);
            if (Interop.FStat(fd, out var st) == 0 && (st.Mode & OwnerRwx) != OwnerRwx)
            {
                // Not ours (a subordinate id's folder): unlinking inside it reports the lack of rights.
                _ = Libc.fchmod(fd, (st.Mode & 0xFFFu) | OwnerRwx);
            }

            return dir;
        }

        private int OpenUnreadable(SafeFileHandle parent, string name, string relative, out int errno)
        {
            var pathFd = Libc.openat(ConfinedTree.Fd(parent), name, Interop.OPath | Interop.ODirectory | Interop.ONoFollow | Interop.OCloExec, 0);
            if (pathFd < 0)
            {
                errno = Interop.LastError;
                return -1;
            }

            try
            {
                // fchmod refuses O_PATH descriptors; the /proc magic link names exactly the inode this descriptor holds.
                if (Libc.chmod($"/proc/self/fd/{pathFd}", OwnerRwx) != 0)
                {
                    errno = Interop.LastError;
                    throw Failure(Path.Join(root, relative), "cannot open the folder", errno);
                }

                var fd = Libc.openat(pathFd, ".", Interop.ORdOnly | Interop.ODirectory | Interop.OCloExec, 0);
                errno = fd < 0 ? Interop.LastError : 0;
                return fd;
            }
            finally
            {
                _ = Libc.close(pathFd);
            }
        }
    }

    private sealed class Frame(SafeFileHandle dir, SafeFileHandle parent, string name, string relative, List<DirectoryName> names)
    {
        public SafeFileHandle Dir { get; } = dir;

        public SafeFileHandle Parent { get; } = parent;

        public string Name { get; } = name;

        public string Relative { get; } = relative;

        public List<DirectoryName> Names { get; set; } = names;

        public int Next { get; set; }

        public int Attempts { get; set; }

        /// <summary>A frame for a folder just opened; the folder is closed if it cannot be listed.</summary>
        public static Frame Listed(SafeFileHandle dir, SafeFileHandle parent, string name, string relative)
        {
            try
            {
                return new Frame(dir, parent, name, relative, DirectoryEntries.Read(dir, relative + "/"));
            }
            catch
            {
                dir.Dispose();
                throw;
            }
        }
    }

    private static Exception Failure(string path, string what, int errno)
    {
        var message = errno == 0 ? $"cannot remove {path}: {what}" : $"cannot remove {path}: {what}: {Interop.ErrorText(errno)}";
        return errno is Interop.EAcces or Interop.EPerm ? new UnauthorizedAccessException(message) : new IOException(message);
    }
}
