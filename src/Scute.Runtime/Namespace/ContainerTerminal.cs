using System.Globalization;
using static Scute.Core.Interop.Libc;
using static Scute.Runtime.Interop.SyscallCheck;

namespace Scute.Runtime.Namespace;

/// <summary>
/// Inside the container: a new pseudo-terminal from the container's own devpts becomes the
/// command's controlling terminal and stdio; its master goes back to Scute for relaying.
/// </summary>
internal static unsafe class ContainerTerminal
{
    public static void Attach(int consoleSocket, int uid, int ttyGid)
    {
        var master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC, 0);
        Check(master, "open /dev/ptmx");
        int unlock = 0;
        Check(ioctl(master, TIOCSPTLCK, &unlock), "unlock pseudo-terminal");
        int number;
        Check(ioctl(master, TIOCGPTN, &number), "get pseudo-terminal number");
        var slavePath = "/dev/pts/" + number.ToString(CultureInfo.InvariantCulture);
        var slave = open(slavePath, O_RDWR | O_NOCTTY, 0);
        Check(slave, $"open {slavePath}");
        Check(fchown(slave, (uint)uid, (uint)ttyGid), $"give {slavePath} to uid {uid}");
        ConsoleSocket.SendFd(consoleSocket, master);
        _ = close(master);
        _ = close(consoleSocket);
        Check(setsid(), "start a new session");
        Check(ioctl(slave, TIOCSCTTY, null), "set the controlling terminal");
        for (var fd = 0; fd <= 2; fd++)
        {
            Check(dup2(slave, fd), "attach the terminal to stdio");
        }

        if (slave > 2)
        {
            _ = close(slave);
        }
    }
}
