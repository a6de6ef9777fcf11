using Scute.Core.Interop;

namespace Scute.Core;

/// <summary>
/// The durable half of every write Scute must not lose: fsync of a folder (so a rename or a new name in
/// it survives a crash) and append with one O_APPEND descriptor (.NET's FileMode.Append seeks instead).
/// Whole-file replacement is <see cref="AtomicFile"/>.
/// </summary>
internal static class DurableFile
{
    private const uint NewFileMode = 0b110_100_100;

    /// <summary>fsync a folder so a rename inside it survives a crash.</summary>
    public static void SyncFolder(string path)
    {
        var fd = Libc.open(path, Libc.O_RDONLY | Libc.DirectoryFlag | Libc.O_CLOEXEC, 0);
        if (fd < 0)
        {
            throw new IOException($"cannot open folder {path}: {Libc.Describe(Libc.Errno)}");
        }

        try
        {
            if (Libc.fsync(fd) != 0)
            {
                throw new IOException($"cannot fsync folder {path}: {Libc.Describe(Libc.Errno)}");
            }
        }
        finally
        {
            _ = Libc.close(fd);
        }
    }

    /// <summary>Appends the bytes with one O_APPEND descriptor and makes them durable (and the file's name, when new).</summary>
    public static void AppendDurably(string path, ReadOnlySpan<byte> bytes)
    {
        var created = !File.Exists(path);
        var fd = Libc.open(path, Libc.O_WRONLY | Libc.O_APPEND | Libc.O_CREAT | Libc.O_CLOEXEC, NewFileMode);
        if (fd < 0)
        {
            throw new IOException($"cannot open {path} for appending: {Libc.Describe(Libc.Errno)}");
        }

        try
        {
            WriteAll(fd, path, bytes);
            Check(Libc.fsync(fd), path, "fsync");
        }
        finally
        {
            _ = Libc.close(fd);
        }

        if (created)
        {
            SyncFolder(Path.GetDirectoryName(path)!);
        }
    }

    private static unsafe void WriteAll(int fd, string path, ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            nint n;
            fixed (byte* p = bytes)
            {
                n = Libc.write(fd, p, (nuint)bytes.Length);
            }

            if (n < 0 && Libc.Errno == Libc.EINTR)
            {
                continue;
            }

            Check(n < 0 ? -1 : 0, path, "write");
            bytes = bytes[(int)n..];
        }
    }

    private static void Check(int result, string path, string call)
    {
        if (result != 0)
        {
            throw new IOException($"cannot {call} {path}: {Libc.Describe(Libc.Errno)}");
        }
    }
}
