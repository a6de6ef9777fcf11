using System.Diagnostics;
using Scute.Core.Interop;

namespace Scute.Store;

/// <summary>
/// flock(2) on store/.lock: exclusive (LOCK_EX) for every command that changes the store,
/// shared (LOCK_SH) for exec/enter while they read. The lock belongs to the open file
/// description, so it is released by the kernel even if the process dies. While an exclusive
/// lock is held, the file holds the holder's pid (decimal, newline), so a waiting command can say
/// whom it waits for; it is emptied again on release. Shared holders leave the file alone (there
/// may be several, and none is worth naming: they hold it for milliseconds).
/// </summary>
public sealed class StoreLock : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private readonly bool _shared;
    private int _fd;

    private StoreLock(int fd, bool shared)
    {
        _fd = fd;
        _shared = shared;
    }

    public bool Shared => _shared;

    /// <summary>The one line a command prints while it waits.</summary>
    public static string WaitingMessage(int? holderPid) => holderPid is { } pid
        ? $"scute: waiting for the store lock held by another scute process (pid {pid})..."
        : "scute: waiting for the store lock held by another process...";

    /// <param name="waiting">Called once when the lock is busy (<see cref="StoreOptions.LockWaiting"/>).</param>
    internal static StoreLock Acquire(string lockFile, TimeSpan? timeout, Action<int?>? waiting, bool shared = false)
    {
        var fd = Libc.open(lockFile, Interop.OWrOnly | Interop.OCreat | Interop.OCloExec, 0b110_100_100);
        if (fd < 0)
        {
            throw new StoreException($"cannot open store lock {lockFile}: {Interop.ErrorText(Interop.LastError)}");
        }

        try
        {
            WaitForLock(fd, lockFile, timeout, waiting, shared ? Interop.LockSh : Interop.LockEx);
            if (!shared)
            {
                RecordHolder(fd, Environment.ProcessId);
            }

            return new StoreLock(fd, shared);
        }
        catch
        {
            _ = Libc.close(fd);
            throw;
        }
    }

    private static void WaitForLock(int fd, string lockFile, TimeSpan? timeout, Action<int?>? waiting, int mode)
    {
        var clock = Stopwatch.StartNew();
        var announced = false;
        int? holder = null;
        while (true)
        {
            // Always non-blocking so a timeout can be honoured; without one we poll forever.
            if (Libc.flock(fd, mode | Interop.LockNb) == 0)
            {
                return;
            }

            var errno = Interop.LastError;
            if (errno == Interop.EIntr)
            {
                continue;
            }

            if (errno != Interop.EWouldBlock)
            {
                throw new StoreException($"cannot lock {lockFile}: {Interop.ErrorText(errno)}");
            }

            if (!announced && clock.Elapsed >= PollInterval)
            {
                // One poll late: a holder that has just taken the lock has written its pid by then.
                announced = true;
                holder = ReadHolder(lockFile);
                waiting?.Invoke(holder);
            }

            if (timeout is { } limit && clock.Elapsed >= limit)
            {
                var who = (holder ?? ReadHolder(lockFile)) is { } pid ? $"pid {pid}" : "pid unknown";
                throw new StoreException(
                    $"store is locked by another scute process ({who}, {lockFile}); gave up after {limit.TotalSeconds:0.###} s (--lock-timeout)");
            }

            Thread.Sleep(PollInterval);
        }
    }

    /// <summary>The pid the lock file names, if it names a live process.</summary>
    public static unsafe int? ReadHolder(string lockFile)
    {
        // Not File.ReadAllText: FileStream takes its own flock(LOCK_SH), which the holder's lock refuses.
        var fd = Libc.open(lockFile, Interop.ORdOnly | Interop.OCloExec, 0);
        if (fd < 0)
        {
            return null;
        }

        Span<byte> buffer = stackalloc byte[32];
        nint n;
        try
        {
            fixed (byte* p = buffer)
            {
                n = Libc.pread(fd, p, (nuint)buffer.Length, 0);
            }
        }
        finally
        {
            _ = Libc.close(fd);
        }

        var text = n > 0 ? System.Text.Encoding.ASCII.GetString(buffer[..(int)n]).Trim() : string.Empty;
        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid)
            && pid > 0 && Directory.Exists($"/proc/{pid}")
            ? pid
            : null;
    }

    private static unsafe void RecordHolder(int fd, int pid)
    {
        // Best effort: the pid is only ever shown to a waiting user, never trusted.
        var bytes = System.Text.Encoding.ASCII.GetBytes(pid.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n");
        _ = Libc.ftruncate(fd, 0);
        fixed (byte* p = bytes)
        {
            _ = Libc.pwrite(fd, p, (nuint)bytes.Length, 0);
        }
    }

    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
        {
            if (!_shared)
            {
                _ = Libc.ftruncate(fd, 0);
            }

            // Closing the descriptor releases the flock.
            _ = Libc.close(fd);
        }
    }
}
