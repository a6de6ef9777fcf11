using System.Buffers;
using Scute.Core.Interop;

namespace Scute.Store;

/// <summary>
/// Reads a small file whole into a pooled buffer with open, read and close: File.ReadAllBytes
/// adds two fstats and a flock pair per file and a new array, which <c>list</c> pays 500 times.
/// </summary>
internal static class SmallFile
{
    private const int ENoEnt = 2;
    private const int EIntr = 4;
    private const int EAcces = 13;
    private const int ENotDir = 20;
    private const int EIsDir = 21;
    private const int EPerm = 1;

    /// <summary>
    /// The whole of <paramref name="path"/> in <paramref name="buffer"/> (rented from the shared
    /// pool and replaced by a larger one when needed; the caller returns it), its length in
    /// <paramref name="length"/>. False when the file or a folder above it does not exist; other
    /// failures throw as File.ReadAllBytes would (UnauthorizedAccessException, IOException).
    /// </summary>
    public static unsafe bool TryRead(string path, ref byte[] buffer, out int length)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(buffer);
        length = 0;
        int fd;
        do
        {
            fd = Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        }
        while (fd < 0 && Libc.Errno == EIntr);

        if (fd < 0)
        {
            var errno = Libc.Errno;
            return errno is ENoEnt or ENotDir ? false : throw Failure(path, errno);
        }

        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan().CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                nint n;
                fixed (byte* p = &buffer[length])
                {
                    n = Libc.read(fd, p, (nuint)(buffer.Length - length));
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

                if (n == 0)
                {
                    return true;
                }

                length += (int)n;
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
}
