using Scute.Store;

namespace Scute.Tui;

/// <summary>
/// Where the TUI's "waiting for the store lock" line goes: the status line while the UI is up,
/// stderr while a command has the terminal. The store options hold <see cref="Say"/>; the UI
/// loop moves <see cref="Target"/>.
/// </summary>
public sealed class LockWaitingLine
{
    public Action<string> Target { get; set; } = Console.Error.WriteLine;

    public void Say(int? holderPid) => Target(StoreLock.WaitingMessage(holderPid));
}
