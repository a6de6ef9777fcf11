using Scute.Cli;

namespace Scute.Tui;

/// <summary>What one action asks for before it runs: a line of text (with a default), or a yes.</summary>
public sealed record TuiInput(string Prompt, string Default, bool Optional);

/// <summary>The line an action leaves in the status bar; Error when it failed.</summary>
public sealed record TuiOutcome(string Line, bool Error);

/// <summary>
/// The terminal UI without the terminal: the list, the filter, the pane's text, and which engine
/// operation each action calls. Every failure becomes one line, as the CLI would print it.
/// </summary>
public sealed class TuiModel(ITuiOperations operations)
{
    private IReadOnlyList<EnvironmentRow> all = [];
    private string filter = string.Empty;

    public IReadOnlyList<EnvironmentRow> Visible { get; private set; } = [];

    public string Filter
    {
        get => filter;
        set
        {
            filter = value ?? string.Empty;
            Visible = [.. all.Where(r => Matches(r, filter))];
        }
    }

    /// <summary>Reads the store again; null, or the one line saying why it could not be read.</summary>
    public TuiOutcome? Refresh()
    {
        try
        {
            all = operations.List();
            Filter = filter;
            return null;
        }
        catch (Exception e)
        {
            return Failure(e);
        }
    }

    /// <summary>Every word of the filter is found (case aside) in the id, name, state or base.</summary>
    public static bool Matches(EnvironmentRow row, string filter)
    {
        ArgumentNullException.ThrowIfNull(row);
        var words = (filter ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.All(w => row.Searchable.Any(s => s.Contains(w, StringComparison.OrdinalIgnoreCase)));
    }

    public string DetailsText(EnvironmentRow? row)
    {
        if (row is null)
        {
            return Visible.Count == 0 && all.Count > 0 ? "no environment matches the filter" : "no environment selected";
        }

        try
        {
            return string.Join('\n', operations.Details(row.EnvId).Lines);
        }
        catch (Exception e)
        {
            return Failure(e).Line;
        }
    }

    /// <summary>The question to answer yes to first, for the actions that cannot be undone.</summary>
    public static string? Confirmation(TuiAction action, EnvironmentRow? row) => action switch
    {
        TuiAction.Destroy when row is not null => $"Destroy {Label(row)} and all its changes?",
        _ => null,
    };

    /// <summary>The text an action needs (the command to exec, the new name ...), null when none.</summary>
    public TuiInput? Input(TuiAction action, EnvironmentRow? row) => action switch
    {
        TuiAction.Exec => new TuiInput("Command to run", string.Empty, Optional: false),
        TuiAction.Rename => new TuiInput("New name", row?.Name ?? string.Empty, Optional: false),
        TuiAction.Commit => new TuiInput("Note (may be empty)", string.Empty, Optional: true),
        TuiAction.Restore => new TuiInput("Snapshot", NewestOtherSnapshot(row), Optional: false),
        _ => null,
    };

    /// <summary>enter and exec need the terminal: the UI is suspended around them.</summary>
    public static bool NeedsTerminal(TuiAction action) => action is TuiAction.Enter or TuiAction.Exec;

    /// <summary>Whether the action works on the selected environment (gc works on the store).</summary>
    public static bool NeedsEnvironment(TuiAction action) => action is not (TuiAction.Gc or TuiAction.GcRemove);

    /// <summary>The argv that enter and exec run; null when the command line is empty or unbalanced.</summary>
    public static IReadOnlyList<string>? Argv(TuiAction action, string? input) => action switch
    {
        TuiAction.Enter => [],
        TuiAction.Exec => CommandWords.Split(input ?? string.Empty) is { Count: > 0 } words ? words : null,
        _ => null,
    };

    /// <summary>Runs one action through its engine operation; its outcome line. Terminal actions return the command's exit status in words.</summary>
    public TuiOutcome Dispatch(TuiAction action, EnvironmentRow? row, string? input = null)
    {
        if (NeedsEnvironment(action) && row is null)
        {
            return new TuiOutcome("select an environment first", Error: true);
        }

        try
        {
            var env = row?.EnvId ?? string.Empty;
            var line = action switch
            {
                TuiAction.Enter or TuiAction.Exec => Run(action, row!, input),
                TuiAction.Commit => operations.Commit(env, string.IsNullOrWhiteSpace(input) ? null : input),
                TuiAction.Restore => operations.Restore(env, Required(input, "a snapshot")),
                TuiAction.Stop => operations.Stop(env),
                TuiAction.Freeze => operations.Freeze(env),
                TuiAction.Archive => operations.Archive(env),
                TuiAction.Rename => operations.Rename(env, Required(input, "a new name")),
                TuiAction.Destroy => operations.Destroy(env),
                TuiAction.Gc => "gc dry run: " + operations.GcPreview(),
                TuiAction.GcRemove => "gc: " + operations.Gc(),
                _ => throw new ArgumentOutOfRangeException(nameof(action)),
            };
            return new TuiOutcome(line, Error: false);
        }
        catch (Exception e)
        {
            return Failure(e);
        }
    }

    private string Run(TuiAction action, EnvironmentRow row, string? input)
    {
        var argv = Argv(action, input) ?? throw new Engine.EngineException("give a command to run (quotes must be closed)");
        var status = operations.Run(row.EnvId, argv);
        return action == TuiAction.Enter
            ? $"left {Label(row)} (exit {status})"
            : $"{string.Join(' ', argv)} in {Label(row)}: exit {status}";
    }

    private static string Required(string? input, string what) =>
        string.IsNullOrWhiteSpace(input) ? throw new Engine.EngineException($"give {what}") : input.Trim();

    private string NewestOtherSnapshot(EnvironmentRow? row)
    {
        if (row is null)
        {
            return string.Empty;
        }

        try
        {
            return operations.Details(row.EnvId).Snapshots.LastOrDefault(s => !s.Current)?.Id ?? string.Empty;
        }
        catch (Exception e) when (ErrorReporter.Classify(e) is not null)
        {
            return string.Empty;
        }
    }

    private TuiOutcome Failure(Exception e) =>
        new("scute: " + ErrorReporter.Describe(e, operations.StoreRoot).Line, Error: true);

    private static string Label(EnvironmentRow row) => row.Name is { } name ? $"{name} ({row.ShortId})" : row.ShortId;
}
