namespace Scute.Tui;

/// <summary>What an environment's pane shows: its security context and audit records, and its snapshots (oldest first).</summary>
public sealed record EnvironmentDetails(IReadOnlyList<string> Lines, IReadOnlyList<SnapshotRow> Snapshots);

public sealed record SnapshotRow(string Id, bool Current, string? Note);

/// <summary>
/// The store as the terminal UI sees it. Each method is one engine operation of the matching CLI
/// command (and so takes the store lock as that command does) and returns the line the CLI prints.
/// </summary>
public interface ITuiOperations
{
    string StoreRoot { get; }

    IReadOnlyList<EnvironmentRow> List();

    EnvironmentDetails Details(string envId);

    string Destroy(string envId);

    string Stop(string envId);

    string Freeze(string envId);

    string Archive(string envId);

    string Rename(string envId, string newName);

    string Commit(string envId, string? note);

    string Restore(string envId, string snapshot);

    string GcPreview();

    string Gc();

    /// <summary>enter and exec: runs in the terminal the UI has given up for it; the command's exit status.</summary>
    int Run(string envId, IReadOnlyList<string> argv);
}
