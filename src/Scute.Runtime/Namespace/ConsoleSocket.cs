using static Scute.Core.Interop.Libc;
using static Scute.Runtime.Interop.SyscallCheck;

namespace Scute.Runtime.Namespace;

/// <summary>
/// Passes the container's pseudo-terminal master from the init stage to the waiting Scute
/// process over a Unix socket (SCM_RIGHTS), as runc's console socket does.
/// </summary>
internal static unsafe class ConsoleSocket
{
    public static (int Parent, int Child) CreatePair()
    {
        Span<int> fds = stackalloc int[2];
        // Close-on-exec: only the child end crosses, and only into the init stage (see NamespaceBackend).
        Interop.SyscallCheck.Check(socketpair(AF_UNIX, SOCK_STREAM | Core.Interop.Libc.O_CLOEXEC, 0, fds), "create console socket");
        return (fds[0], fds[1]);
    }

    public static void SendFd(int socket, int fd)
    {
        byte payload = (byte)'t';
        var iov = new IoVec { Base = &payload, Length = 1 };
        var control = new FdControl { Length = (nuint)(sizeof(nuint) + 8 + sizeof(int)), Level = SOL_SOCKET, Type = SCM_RIGHTS, Fd = fd };
        var msg = new MsgHdr { Iov = &iov, IovLength = 1, Control = &control, ControlLength = (nuint)sizeof(FdControl) };
        if (sendmsg(socket, &msg, 0) < 0)
        {
            throw new ContainerSetupException($"send terminal to scute: {Core.Interop.Libc.Describe(Core.Interop.Libc.Errno)}");
        }
    }

    /// <summary>The received descriptor, or -1 when the other side closed without sending one.</summary>
    public static int ReceiveFd(int socket)
    {
        byte payload = 0;
        var iov = new IoVec { Base = &payload, Length = 1 };
        var control = default(FdControl);
        var msg = new MsgHdr { Iov = &iov, IovLength = 1, Control = &control, ControlLength = (nuint)sizeof(FdControl) };
        var n = recvmsg(socket, &msg, 0);
        return n <= 0 || control.Type != SCM_RIGHTS ? -1 : control.Fd;
    }
}
