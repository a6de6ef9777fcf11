namespace Scute.Store;

/// <summary>
/// How long a command waits for the store lock, and who hears that it is waiting. Set once per
/// command line by the CLI (<c>--lock-timeout</c>, and a writer to stderr); every
/// <see cref="ScuteStore.Lock"/> call without an explicit timeout uses <see cref="Timeout"/>, so
/// operations need not pass it through. Held in an <see cref="AsyncLocal{T}"/>: commands run
/// in-process by tests in parallel do not see each other's settings.
/// </summary>
public static class StoreLockOptions
{
    private static readonly AsyncLocal<TimeSpan?> CurrentTimeout = new();
    private static readonly AsyncLocal<Action<int?>?> CurrentWaiting = new();

    /// <summary>Give up after this long (exit 3); null waits for as long as it takes.</summary>
    public static TimeSpan? Timeout
    {
        get => CurrentTimeout.Value;
        set => CurrentTimeout.Value = value;
    }

    /// <summary>Called once when the lock is busy, with the holder's pid when the lock file names one.</summary>
    public static Action<int?>? Waiting
    {
        get => CurrentWaiting.Value;
        set => CurrentWaiting.Value = value;
    }

    /// <summary>The one line a command prints while it waits.</summary>
    public static string WaitingMessage(int? holderPid) => holderPid is { } pid
        ? $"scute: waiting for the store lock held by another scute process (pid {pid})..."
        : "scute: waiting for the store lock held by another process...";
}
