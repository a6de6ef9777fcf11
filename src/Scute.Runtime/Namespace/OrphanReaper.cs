using static Scute.Core.Interop.Libc;

namespace Scute.Runtime.Namespace;

/// <summary>
/// As pid 1, the init stage inherits every orphaned process of the environment; this reaps
/// their zombies, leaving the command stage's own status to the runtime that waits for it.
/// </summary>
internal sealed unsafe class OrphanReaper : IDisposable
{
    private const int PAll = 0;
    private const int WExited = 4;
    private const int WNoHang = 1;
    private const int WNoWait = 0x01000000;
    private const int PidOffset = 16; // si_pid in siginfo_t for SIGCHLD on Linux

    private readonly int command;
    private readonly Timer timer;

    public OrphanReaper(int command)
    {
        this.command = command;
        timer = new Timer(_ => Reap(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    public void Dispose() => timer.Dispose();

    private void Reap()
    {
        var info = stackalloc byte[128];
        while (true)
        {
            new Span<byte>(info, 128).Clear();
            if (waitid(PAll, 0, info, WExited | WNoHang | WNoWait) != 0)
            {
                return;
            }

            var pid = *(int*)(info + PidOffset);
            if (pid == 0 || pid == command)
            {
                return;
            }

            int status;
            _ = waitpid(pid, &status, WNoHang);
        }
    }
}
