using static Scute.Core.Interop.Libc;
using static Scute.Runtime.Interop.SyscallCheck;

namespace Scute.Runtime.Namespace;

/// <summary>
/// Every process of an environment dies with the scute process that started it (DESIGN 2.4),
/// even when that process is killed with SIGKILL and cannot clean up: scute holds the only
/// write end of this pipe, the init stage (pid 1 of the environment's pid namespace) blocks
/// reading the other, and end-of-file makes it end the namespace. A parent-death signal would
/// only cover the direct child, which is unshare, not the init stage.
/// </summary>
internal static unsafe class DeathPipe
{
    private const int SigKill = 9;

    /// <summary>Both ends close-on-exec; the caller lets the read end cross into the init stage alone.</summary>
    public static (int ReadEnd, int WriteEnd) Create()
    {
        var fds = stackalloc int[2];
        Check(pipe2(fds, O_CLOEXEC), "create the scute liveness pipe");
        return (fds[0], fds[1]);
    }

    /// <summary>In the init stage: ends the whole environment as soon as scute is gone.</summary>
    public static void Watch(int readEnd)
    {
        var thread = new Thread(() =>
        {
            byte b;
            nint n;
            do
            {
                n = read(readEnd, &b, 1);
            }
            while (n < 0 && Errno == 4 /* EINTR */);

            // Pid 1: -1 reaches every other process of the namespace; its own exit ends the rest.
            _ = kill(-1, SigKill);
            _exit(128 + SigKill);
        })
        { IsBackground = true, Name = "scute-liveness" };
        thread.Start();
    }
}
