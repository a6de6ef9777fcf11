using static Scute.Core.Interop.Libc;
using static Scute.Runtime.Interop.SyscallCheck;

namespace Scute.Runtime.Namespace;

/// <summary>
/// Two pipes between the init stage and the command stage. The command stage says it is ready
/// once it is loaded (its libraries come from the host root, which the pivot takes away), and
/// then waits for go: one byte means the root is finished; end-of-file means set-up failed.
/// </summary>
internal sealed unsafe class StartGate
{
    private StartGate(int goRead, int goWrite, int readyRead, int readyWrite)
    {
        GoRead = goRead;
        GoWrite = goWrite;
        ReadyRead = readyRead;
        ReadyWrite = readyWrite;
    }

    /// <summary>Inherited by the command stage.</summary>
    public int GoRead { get; }

    public int GoWrite { get; }

    public int ReadyRead { get; }

    /// <summary>Inherited by the command stage.</summary>
    public int ReadyWrite { get; }

    public static StartGate Create()
    {
        var go = stackalloc int[2];
        var ready = stackalloc int[2];
        Check(pipe2(go, O_CLOEXEC), "create start gate");
        Check(pipe2(ready, O_CLOEXEC), "create start gate");
        Check(fcntl(go[0], F_SETFD, 0), "share start gate");
        Check(fcntl(ready[1], F_SETFD, 0), "share start gate");
        return new StartGate(go[0], go[1], ready[0], ready[1]);
    }

    /// <summary>In the init stage, once the command stage is started: drop its ends, wait until it is loaded.</summary>
    public bool WaitUntilReady()
    {
        _ = close(GoRead);
        _ = close(ReadyWrite);
        var ok = ReadByte(ReadyRead);
        _ = close(ReadyRead);
        return ok;
    }

    public void Open()
    {
        byte go = 1;
        _ = write(GoWrite, &go, 1);
        _ = close(GoWrite);
    }

    public void Abort() => _ = close(GoWrite);

    /// <summary>In the command stage: say ready, then wait for go.</summary>
    public static bool ReadyThenWait(int goRead, int readyWrite)
    {
        byte ready = 1;
        _ = write(readyWrite, &ready, 1);
        _ = close(readyWrite);
        var go = ReadByte(goRead);
        _ = close(goRead);
        return go;
    }

    private static bool ReadByte(int fd)
    {
        byte b = 0;
        nint n;
        do
        {
            n = read(fd, &b, 1);
        }
        while (n < 0 && Errno == 4 /* EINTR */);

        return n == 1 && b == 1;
    }
}
