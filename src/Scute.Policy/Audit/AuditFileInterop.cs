using System.Runtime.InteropServices;

namespace Scute.Policy.Audit;

/// <summary>
/// open(O_APPEND), write, fsync: .NET's FileMode.Append seeks instead of opening with O_APPEND.
/// The flag values below are the same on x86-64 and arm64. Linux only.
/// </summary>
internal static partial class AuditFileInterop
{
    private const int OWrOnly = 1;
    private const int ORdOnly = 0;
    private const int OCreat = 0x40;
    private const int OAppend = 0x400;
    private const int OCloExec = 0x80000;
    private const int EIntr = 4;
    private const uint FileMode = 0b110_100_100;

    /// <summary>Appends the bytes with one O_APPEND descriptor and makes them durable.</summary>
    public static void AppendDurably(string path, ReadOnlySpan<byte> bytes)
    {
        var created = !File.Exists(path);
        var fd = Open(path, OWrOnly | OAppend | OCreat | OCloExec, FileMode);
        if (fd < 0)
        {
            throw new IOException($"cannot open {path} for appending: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        try
        {
            WriteAll(fd, path, bytes);
            Check(FSync(fd), path, "fsync");
        }
        finally
        {
            _ = Close(fd);
        }

        if (created)
        {
            FSyncFolder(Path.GetDirectoryName(path)!);
        }
    }

    private static unsafe void WriteAll(int fd, string path, ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            nint n;
            fixed (byte* p = bytes)
            {
                n = Write(fd, p, (nuint)bytes.Length);
            }

            if (n < 0 && Marshal.GetLastPInvokeError() == EIntr)
            {
                continue;
            }

            Check(n < 0 ? -1 : 0, path, "write");
            bytes = bytes[(int)n..];
        }
    }

    private static void FSyncFolder(string folder)
    {
        var fd = Open(folder, ORdOnly | OCloExec, 0);
        if (fd < 0)
        {
            throw new IOException($"cannot open folder {folder}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        try
        {
            Check(FSync(fd), folder, "fsync");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    private static void Check(int result, string path, string call)
    {
        if (result != 0)
        {
            throw new IOException($"cannot {call} {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
