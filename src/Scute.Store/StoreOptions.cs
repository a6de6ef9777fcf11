namespace Scute.Store;

/// <summary>
/// What one command line asks of the store it opens: how long its locks wait (<c>--lock-timeout</c>),
/// who hears that a lock is busy, and where the write-ahead log reports what it rolled back. Handed
/// to <see cref="ScuteStore.Open"/>/<see cref="ScuteStore.OpenOrCreate"/> and kept by the store, so
/// two stores opened in one process (tests, the D-Bus service) never see each other's settings.
/// </summary>
public sealed class StoreOptions
{
    /// <summary>No timeout, no waiting line, warnings to stderr: what a command without options gets.</summary>
    public static StoreOptions Default { get; } = new();

    /// <summary>Give up after this long (exit 3); null waits for as long as it takes.</summary>
    public TimeSpan? LockTimeout { get; init; }

    /// <summary>Called once when a lock is busy, with the holder's pid when the lock file names one.</summary>
    public Action<int?>? LockWaiting { get; init; }

    /// <summary>Where recovery and rollback report what they did (one line each, without the "scute: " prefix).</summary>
    public Action<string> Warn { get; init; } = WarnOnStderr;

    private static void WarnOnStderr(string message) => Console.Error.WriteLine($"scute: {message}");
}
