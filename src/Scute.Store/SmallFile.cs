using System.Buffers;
using Scute.Core.Interop;

namespace Scute.Store;

/// <summary>
/// Reads a small file whole into a pooled buffer with open, read and close: File.ReadAllBytes
/// adds two fstats and a flock pair per file and a new array, which <c>list</c> pays 500 times.
/// For the store's small files, which are replaced by rename and never written in place.
/// </summary>
internal static class SmallFile
{
    private const int EPerm = 1;
    private const int ENoEnt = 2;
    private const int EIntr = 4;
    private const int EAcces = 13;
    private const int ENotDir = 20;
    private const int EIsDir = 21;

    /// <summary>
    /// The whole of <paramref name="path"/> in <paramref name="buffer"/> (rented from the shared
    /// pool and replaced by a larger one when needed; the caller returns it), its length in
    /// <paramref name="length"/>. False when the file or a folder above it does not exist; other
    /// failures throw as File.ReadAllBytes would (UnauthorizedAccessException, IOException).
    /// </summary>
    public static bool TryRead(string path, ref byte[] buffer, out int length) =>
        TryRead(Libc.AT_FDCWD, path, path, ref buffer, out length, withIdentity: false, out _);

    /// <summary>As <see cref="TryRead(string, ref byte[], out int)"/> for <paramref name="name"/> in the open folder <paramref name="folder"/>: no path walk per file.</summary>
    public static bool TryRead(Folder folder, string name, string path, ref byte[] buffer, out int length)
    {
        ArgumentNullException.ThrowIfNull(folder);
        return TryRead(folder.Fd, name, path, ref buffer, out length, withIdentity: false, out _);
    }

    /// <summary>As <see cref="TryRead(Folder, string, string, ref byte[], out int)"/>, with the identity of the very file read (fstat of its descriptor).</summary>
    public static bool TryRead(Folder folder, string name, string path, ref byte[] buffer, out int length, out FileIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(folder);
        return TryRead(folder.Fd, name, path, ref buffer, out length, withIdentity: true, out identity);
    }

    private static unsafe bool TryRead(int dirFd, string name, string path, ref byte[] buffer, out int length, bool withIdentity, out FileIdentity identity)
    {
        identity = default;
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(buffer);
        length = 0;
        int fd;
        do
        {
            fd = Libc.openat(dirFd, name, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        }
        while (fd < 0 && Libc.Errno == EIntr);

        if (fd < 0)
        {
            var errno = Libc.Errno;
            return errno is ENoEnt or ENotDir ? false : throw Failure(path, errno);
        }

        try
        {
            if (withIdentity)
            {
                var errno = Interop.FStat(fd, out var st);
                identity = errno == 0 ? FileIdentity.Of(st) : throw Failure(path, errno);
            }

            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan().CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var wanted = buffer.Length - length;
                nint n;
                fixed (byte* p = &buffer[length])
                {
                    n = Libc.read(fd, p, (nuint)wanted);
                }

                if (n < 0)
                {
                    var errno = Libc.Errno;
                    if (errno == EIntr)
                    {
                        continue;
                    }

                    throw Failure(path, errno);
                }

                length += (int)n;

                // A regular file reads short only at its end: no second read to see 0.
                if (n < wanted)
                {
                    return true;
                }
            }
        }
        finally
        {
            _ = Libc.close(fd);
        }
    }

    private static Exception Failure(string path, int errno) => errno is EAcces or EPerm or EIsDir
        ? new UnauthorizedAccessException($"Access to the path '{path}' is denied.")
        : new IOException($"{Libc.Describe(errno)} : '{path}'", errno);

    /// <summary>An open folder the files are read relative to; null from <see cref="Open"/> when it does not exist.</summary>
    public sealed class Folder : IDisposable
    {
        private Folder(int fd) => Fd = fd;

        public int Fd { get; private set; }

        public static Folder? Open(string path)
        {
            ArgumentNullException.ThrowIfNull(path);
            int fd;
            do
            {
                fd = Libc.open(path, Libc.O_RDONLY | Libc.DirectoryFlag | Libc.O_CLOEXEC, 0);
            }
            while (fd < 0 && Libc.Errno == EIntr);

            if (fd < 0)
            {
                var errno = Libc.Errno;
                return errno is ENoEnt or ENotDir ? null : throw Failure(path, errno);
            }

            return new Folder(fd);
        }

        public void Dispose()
        {
            if (Fd >= 0)
            {
                _ = Libc.close(Fd);
                Fd = -1;
            }
        }
    }
}
