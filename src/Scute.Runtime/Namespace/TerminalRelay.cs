using System.Runtime.InteropServices;
using static Scute.Core.Interop.Libc;

namespace Scute.Runtime.Namespace;

/// <summary>
/// On the host: puts the user's terminal in raw mode and copies bytes both ways between it and
/// the container's pseudo-terminal master, following window-size changes, until the command ends.
/// </summary>
internal sealed unsafe class TerminalRelay : IDisposable
{
    private readonly int master;
    private readonly byte[] savedTermios = new byte[TermiosSize];
    private readonly bool restored;
    private readonly Thread output;
    private readonly PosixSignalRegistration winch;

    public TerminalRelay(int master)
    {
        this.master = master;
        fixed (byte* t = savedTermios)
        {
            var raw = stackalloc byte[TermiosSize];
            restored = tcgetattr(0, t) == 0;
            new ReadOnlySpan<byte>(t, TermiosSize).CopyTo(new Span<byte>(raw, TermiosSize));
            cfmakeraw(raw);
            _ = tcsetattr(0, TCSANOW, raw);
        }

        CopyWindowSize();
        winch = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, c =>
        {
            c.Cancel = true;
            CopyWindowSize();
        });
        new Thread(() => Pump(0, master)) { IsBackground = true, Name = "terminal-in" }.Start();
        output = new Thread(() => Pump(master, 1)) { IsBackground = true, Name = "terminal-out" };
        output.Start();
    }

    /// <summary>Waits for the container's output to drain after the command has exited.</summary>
    public void Drain() => output.Join(TimeSpan.FromSeconds(2));

    public void Dispose()
    {
        winch.Dispose();
        if (restored)
        {
            fixed (byte* t = savedTermios)
            {
                _ = tcsetattr(0, TCSANOW, t);
            }
        }

        _ = Core.Interop.Libc.close(master);
    }

    private void CopyWindowSize()
    {
        var size = stackalloc ushort[4];
        if (ioctl(0, TIOCGWINSZ, size) == 0)
        {
            _ = ioctl(master, TIOCSWINSZ, size);
        }
    }

    private static void Pump(int from, int to)
    {
        var buffer = stackalloc byte[8192];
        while (true)
        {
            var n = read(from, buffer, 8192);
            if (n <= 0)
            {
                if (n < 0 && Marshal.GetLastPInvokeError() == 4 /* EINTR */)
                {
                    continue;
                }

                return;
            }

            var offset = 0;
            while (offset < n)
            {
                var w = write(to, buffer + offset, (nuint)(n - offset));
                if (w <= 0)
                {
                    return;
                }

                offset += (int)w;
            }
        }
    }
}
