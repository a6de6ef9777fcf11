using Tmds.DBus.Protocol;

namespace Scute.Cli.DBus;

/// <summary>What the objects of one service share: the store, the connection (for signals) and the count of calls under way.</summary>
public sealed class ServiceState(Engine.EngineContext engine, DBusConnection connection, TimeProvider clock)
{
    private int running;
    private long lastActivity = clock.GetTimestamp();

    /// <summary>What the calls run directly (not through a command line) hand the engine: the service's store and --lock-timeout.</summary>
    public Engine.EngineContext Engine { get; } = engine;

    public string StoreRoot => Engine.StoreRoot;

    public DBusConnection Connection { get; } = connection;

    public void Begin()
    {
        Interlocked.Increment(ref running);
        Interlocked.Exchange(ref lastActivity, clock.GetTimestamp());
    }

    public void End()
    {
        Interlocked.Exchange(ref lastActivity, clock.GetTimestamp());
        Interlocked.Decrement(ref running);
    }

    /// <summary>True when no call is under way and none came for <paramref name="timeout"/>.</summary>
    public bool IdleFor(TimeSpan timeout) =>
        Volatile.Read(ref running) == 0 && clock.GetElapsedTime(Interlocked.Read(ref lastActivity)) >= timeout;

    /// <summary>Sends a signal whose arguments are all strings.</summary>
    public void Emit(string path, string @interface, string member, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        using var writer = Connection.GetMessageWriter();
        writer.WriteSignalHeader(null, path, @interface, member, new string('s', args.Length));
        foreach (var a in args)
        {
            writer.WriteString(a);
        }

        Connection.TrySendMessage(writer.CreateMessage());
    }
}
