using Microsoft.Win32.SafeHandles;
using Scute.Core.Interop;

namespace Scute.Store.Tar;

/// <summary>
/// File operations confined to one folder. A path is resolved from the folder's descriptor
/// either in one openat2 call with RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS
/// (Linux 5.6+), or, where the kernel lacks openat2, walked component by component with
/// openat(O_NOFOLLOW|O_DIRECTORY): either way a symlink — from the archive or already on
/// disk — is never followed and nothing outside the folder is reached.
/// </summary>
internal sealed class ConfinedTree : IDisposable
{
    private const int DirFlags = Interop.ORdOnly | Interop.OCloExec;
    private const ulong Confined = Interop.ResolveBeneath | Interop.ResolveNoSymlinks | Interop.ResolveNoMagicLinks;
    private const int Openat2Attempts = 4;

    /// <summary>Set once openat2 answered ENOSYS: this kernel (or a seccomp filter) has none; walk from then on.</summary>
    private static volatile bool s_noOpenat2;

    private readonly SafeFileHandle _root;
    private readonly bool _walkOnly;

    private ConfinedTree(SafeFileHandle root, bool walkOnly)
    {
        _root = root;
        _walkOnly = walkOnly;
    }

    /// <param name="dir">The target folder; it must not be a symlink.</param>
    /// <param name="walkEachComponent">Test seam: behave as on a kernel without openat2.</param>
    public static ConfinedTree Open(string dir, bool walkEachComponent = false)
    {
        // The target itself must not be a symlink either: it is the one path opened by name.
        var fd = Libc.open(dir, DirFlags | Interop.ODirectory | Interop.ONoFollow, 0);
        return fd >= 0
            ? new ConfinedTree(new SafeFileHandle(fd, ownsHandle: true), walkEachComponent)
            : throw new IOException($"cannot open {dir}: {Interop.ErrorText(Interop.LastError)}");
    }

    /// <summary>
    /// The folder at <paramref name="relative"/> (components joined by '/', none of them "..")
    /// in one openat2 call, or null: <paramref name="errno"/> is ENOSYS when openat2 cannot be
    /// used, else why the path is not a plain chain of folders below the target (ENOENT, ELOOP
    /// for a symlink on the way, ENOTDIR, EXDEV...). Callers walk on null, for the exact refusal.
    /// </summary>
    public SafeFileHandle? TryOpenBeneath(string relative, out int errno)
    {
        if (_walkOnly || s_noOpenat2)
        {
            errno = Interop.ENoSys;
            return null;
        }

        for (var attempt = 1; ; attempt++)
        {
            var fd = Interop.OpenAt2(RootFd, relative, DirFlags | Interop.ODirectory | Interop.ONoFollow, Confined);
            if (fd >= 0)
            {
                errno = 0;
                return new SafeFileHandle(fd, ownsHandle: true);
            }

            errno = Interop.LastError;
            if (errno == Interop.ENoSys)
            {
                s_noOpenat2 = true;
                return null;
            }

            // EAGAIN: a rename elsewhere raced the lookup (the kernel refuses to guess); try again, then walk.
            if (errno is not (Interop.EAgain or Interop.EIntr) || attempt == Openat2Attempts)
            {
                return null;
            }
        }
    }

    /// <summary>
    /// Opens the folder made of the first <paramref name="count"/> components,
    /// creating missing ones (0755) when asked. Throws if one is a symlink or not a folder.
    /// </summary>
    public SafeFileHandle OpenDir(string[] parts, int count, bool create, string entryName)
    {
        // One call when the whole chain is there; anything else walks, which creates what is
        // missing and names the component that is refused.
        if (count > 0 && TryOpenBeneath(string.Join('/', parts, 0, count), out _) is { } direct)
        {
            return direct;
        }

        var current = OpenAt(RootFd, ".", entryName);
        for (var i = 0; i < count; i++)
        {
            using var parent = current;
            current = OpenChildDir(parent, parts, i, create, entryName);
        }

        return current;
    }

    /// <summary>The target folder's own descriptor, owned by the tree.</summary>
    public SafeFileHandle Root => _root;

    /// <summary>
    /// Opens component <paramref name="i"/> of <paramref name="parts"/> in <paramref name="parent"/> with
    /// O_NOFOLLOW, creating it (0755) when missing and asked to. Throws if it is a symlink or not a folder.
    /// </summary>
    public static SafeFileHandle OpenChildDir(SafeFileHandle parent, string[] parts, int i, bool create, string entryName)
    {
        var fd = Libc.openat(Fd(parent), parts[i], DirFlags | Interop.ODirectory | Interop.ONoFollow, 0);
        var errno = fd < 0 ? Interop.LastError : 0;
        if (errno == Interop.ENoEnt && create)
        {
            if (Libc.mkdirat(Fd(parent), parts[i], 0b111_101_101) != 0 && Interop.LastError != Interop.EExist)
            {
                throw Failure(entryName, $"cannot create folder '{Prefix(parts, i)}'");
            }

            fd = Libc.openat(Fd(parent), parts[i], DirFlags | Interop.ODirectory | Interop.ONoFollow, 0);
            errno = fd < 0 ? Interop.LastError : 0;
        }

        if (errno is Interop.ELoop or Interop.ENotDir)
        {
            throw new UnsafeArchiveException(entryName, $"'{Prefix(parts, i)}' is a symlink or not a folder; refusing to write through it");
        }

        if (fd < 0)
        {
            throw new IOException($"{entryName}: cannot open folder '{Prefix(parts, i)}': {Interop.ErrorText(errno)}");
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>Like <see cref="OpenDir"/> without creating or throwing: null when the path is no longer a plain folder chain.</summary>
    public SafeFileHandle? TryOpenDir(string[] parts)
    {
        try
        {
            return OpenDir(parts, parts.Length, create: false, TarPath.Key(parts));
        }
        catch (Exception ex) when (ex is UnsafeArchiveException or IOException)
        {
            return null;
        }
    }

    /// <summary>File type bits of <paramref name="name"/> in the folder, or null if it does not exist. Never follows a link.</summary>
    public static uint? TypeOf(SafeFileHandle dir, string name, string entryName)
    {
        var errno = Interop.LStat(Fd(dir), name, out var st);
        if (errno == Interop.ENoEnt)
        {
            return null;
        }

        return errno == 0
            ? st.Mode & Interop.SIfMt
            : throw new IOException($"{entryName}: cannot stat '{name}': {Interop.ErrorText(errno)}");
    }

    /// <summary>Removes whatever non-folder (or empty folder) is at <paramref name="name"/> so a new entry can take its place.</summary>
    public static void RemoveExisting(SafeFileHandle dir, string name, string entryName)
    {
        var type = TypeOf(dir, name, entryName);
        if (type is null)
        {
            return;
        }

        var flags = type == Interop.SIfDir ? Interop.AtRemoveDir : 0;
        if (Libc.unlinkat(Fd(dir), name, flags) == 0)
        {
            return;
        }

        var errno = Interop.LastError;
        if (errno is Interop.ENotEmpty or Interop.EExist)
        {
            throw new UnsafeArchiveException(entryName, "would replace a folder that is not empty");
        }

        if (errno != Interop.ENoEnt)
        {
            throw new IOException($"{entryName}: cannot replace existing '{name}': {Interop.ErrorText(errno)}");
        }
    }

    public static int Fd(SafeFileHandle handle) => checked((int)handle.DangerousGetHandle());

    public static IOException Failure(string entryName, string what) =>
        new($"{entryName}: {what}: {Interop.ErrorText(Interop.LastError)}");

    public void Dispose() => _root.Dispose();

    private int RootFd => Fd(_root);

    private static SafeFileHandle OpenAt(int dirFd, string name, string entryName)
    {
        var fd = Libc.openat(dirFd, name, DirFlags | Interop.ODirectory, 0);
        return fd >= 0 ? new SafeFileHandle(fd, ownsHandle: true) : throw Failure(entryName, "cannot open target folder");
    }

    private static string Prefix(string[] parts, int last) => string.Join('/', parts.Take(last + 1));
}
