using System.Diagnostics;

namespace Scute.Store;

/// <summary>
/// Exclusive flock(2) on store/.lock, held by every mutating command. The lock
/// belongs to the open file description, so it is released by the kernel even
/// if the process dies.
/// </summary>
public sealed class StoreLock : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private int _fd;

    private StoreLock(int fd) => _fd = fd;

    internal static StoreLock Acquire(string lockFile, TimeSpan? timeout)
    {
        var fd = Interop.Open(lockFile, Interop.OWrOnly | Interop.OCreat | Interop.OCloExec, 0b110_100_100);
        if (fd < 0)
        {
            throw new StoreException($"cannot open store lock {lockFile}: {Interop.ErrorText(Interop.LastError)}");
        }

        try
        {
            WaitForLock(fd, lockFile, timeout);
            return new StoreLock(fd);
        }
        catch
        {
            _ = Interop.Close(fd);
            throw;
        }
    }

    private static void WaitForLock(int fd, string lockFile, TimeSpan? timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            // Always non-blocking so a timeout can be honoured; without one we poll forever.
            if (Interop.Flock(fd, Interop.LockEx | Interop.LockNb) == 0)
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

            if (timeout is { } limit && clock.Elapsed >= limit)
            {
                throw new StoreException($"store is locked by another scute process ({lockFile})");
            }

            Thread.Sleep(PollInterval);
        }
    }

    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
        {
            // Closing the descriptor releases the flock.
            _ = Interop.Close(fd);
        }
    }
}
