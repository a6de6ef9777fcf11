using System.Runtime.InteropServices;
using Tmds.DBus.Protocol;

namespace Scute.Cli.DBus;

/// <summary>
/// scute dbus-service: owns org.scute.Manager1 and org.karapace.Manager1 on the session bus until it
/// has been idle (no call under way, none received) for the idle timeout, the bus goes away, or
/// SIGTERM/SIGINT. Activation starts it again on the next call.
/// </summary>
public static class DBusService
{
    public static readonly string[] BusNames = [ScuteManager.InterfaceName, KarapaceManager.InterfaceName];

    public static int Run(Engine.EngineContext engine, TimeSpan idleTimeout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        var address = DBusAddress.Session
            ?? throw new Engine.EngineException("no session bus: DBUS_SESSION_BUS_ADDRESS is not set");
        using var connection = new DBusConnection(address);
        connection.ConnectAsync().AsTask().GetAwaiter().GetResult();
        var state = new ServiceState(engine, connection, TimeProvider.System);
        var ops = new Operations(state);
        connection.AddMethodHandlers([new ScuteManager(ops), new KarapaceManager(ops)]);
        foreach (var name in BusNames)
        {
            if (!connection.TryRequestNameAsync(name, RequestNameOptions.None).GetAwaiter().GetResult())
            {
                throw new Engine.EngineException($"{name} is already owned on the session bus (another scute dbus-service runs)");
            }
        }

        using var stop = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        var disconnected = connection.DisconnectedAsync();
        while (!stop.IsCancellationRequested && !disconnected.IsCompleted && !state.IdleFor(idleTimeout))
        {
            disconnected.Wait(TimeSpan.FromMilliseconds(250));
        }

        if (disconnected.IsCompleted && disconnected.Result is { } reason)
        {
            stderr.WriteLine($"scute: the session bus went away: {reason.Message}");
            return ExitCodes.Failure;
        }

        // Calls under way finish before the process ends (a stop by signal waits for them too).
        while (!state.IdleFor(TimeSpan.Zero) && !disconnected.IsCompleted)
        {
            Thread.Sleep(100);
        }

        return ExitCodes.Success;
    }
}
