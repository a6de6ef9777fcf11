using System.Diagnostics;
using Scute.Core.Interop;
using Scute.Runtime.Interop;
using static Scute.Core.Interop.Libc;
using static Scute.Runtime.Interop.SyscallCheck;

namespace Scute.Runtime.Desktop;

/// <summary>
/// xdg-dbus-proxy between an environment and the user's session bus, with --filter and one
/// --talk rule per allowed name, as Flatpak runs it. Its lifetime is tied to this object the way
/// Flatpak ties it to bwrap: the proxy gets the write end of a pipe (--fd), writes one byte when
/// its socket listens, and exits when the read end, held only here, closes; so it also dies
/// when the scute process is killed.
/// </summary>
public sealed unsafe class SessionBusProxy : IDisposable
{
    public const string ProxyPath = "/usr/bin/xdg-dbus-proxy";

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(10);

    private readonly Process process;
    private int readEnd;

    private SessionBusProxy(Process process, int readEnd, string socketPath)
    {
        this.process = process;
        this.readEnd = readEnd;
        SocketPath = socketPath;
    }

    /// <summary>The proxy's listening socket (on the host).</summary>
    public string SocketPath { get; }

    /// <summary>The arguments after the program: the bus, the socket, the filter and its rules.</summary>
    public static IReadOnlyList<string> Arguments(string busAddress, string socketPath, IEnumerable<string> talk, int syncFd) =>
        [busAddress, socketPath, "--filter", .. talk.Order(StringComparer.Ordinal).Select(n => "--talk=" + n), string.Create(System.Globalization.CultureInfo.InvariantCulture, $"--fd={syncFd}")];

    public static SessionBusProxy Start(string busAddress, string socketPath, IReadOnlyList<string> talk)
    {
        if (!File.Exists(ProxyPath))
        {
            throw new ContainerSetupException($"the environment may talk to session bus names (gui.dbus_talk) only through {ProxyPath}, which is not installed (Debian package xdg-dbus-proxy)");
        }

        var fds = stackalloc int[2];
        Check(pipe2(fds, O_CLOEXEC), "create the bus proxy's pipe");
        var (read, write) = (fds[0], fds[1]);
        var psi = new ProcessStartInfo(ProxyPath) { UseShellExecute = false };
        foreach (var arg in Arguments(busAddress, socketPath, talk, write))
        {
            psi.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            Descriptors.Inherit(write);
            process = Process.Start(psi) ?? throw new ContainerSetupException("cannot start xdg-dbus-proxy");
        }
        catch
        {
            _ = close(read);
            throw;
        }
        finally
        {
            _ = close(write);
        }

        var proxy = new SessionBusProxy(process, read, socketPath);
        try
        {
            proxy.WaitReady();
            // The socket is reached by the environment's user, whoever that is inside; the folder holding it is private on the host.
            File.SetUnixFileMode(socketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite);
            return proxy;
        }
        catch
        {
            proxy.Dispose();
            throw;
        }
    }

    private void WaitReady()
    {
        var reader = Task.Run(() =>
        {
            byte b;
            nint n;
            do
            {
                n = Libc.read(readEnd, &b, 1);
            }
            while (n < 0 && Errno == 4 /* EINTR */);
            return n;
        });
        if (!reader.Wait(ReadyTimeout) || reader.Result != 1 || !File.Exists(SocketPath))
        {
            throw new ContainerSetupException($"xdg-dbus-proxy did not start listening on {SocketPath} (is the session bus running?)");
        }
    }

    public void Dispose()
    {
        if (readEnd >= 0)
        {
            _ = close(readEnd);
            readEnd = -1;
        }

        try
        {
            if (!process.WaitForExit(TimeSpan.FromSeconds(2)))
            {
                process.Kill();
                process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
            // never started
        }

        process.Dispose();
    }
}
