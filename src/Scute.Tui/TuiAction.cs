namespace Scute.Tui;

/// <summary>What the terminal UI can do to the selected environment (or the store, for gc).</summary>
public enum TuiAction
{
    Enter,
    Exec,
    Commit,
    Restore,
    Stop,
    Freeze,
    Archive,
    Rename,
    Destroy,

    /// <summary>gc as a dry run: what would go. Removal is <see cref="GcRemove"/>, asked for after it.</summary>
    Gc,
    GcRemove,
}

/// <summary>The keys of the environment list and the button labels, one table for both.</summary>
public static class TuiKeys
{
    public static IReadOnlyList<(char Key, TuiAction Action, string Label)> All { get; } =
    [
        ('e', TuiAction.Enter, "enter"),
        ('x', TuiAction.Exec, "exec"),
        ('c', TuiAction.Commit, "commit"),
        ('r', TuiAction.Restore, "restore"),
        ('s', TuiAction.Stop, "stop"),
        ('f', TuiAction.Freeze, "freeze"),
        ('a', TuiAction.Archive, "archive"),
        ('n', TuiAction.Rename, "rename"),
        ('d', TuiAction.Destroy, "destroy"),
        ('g', TuiAction.Gc, "gc"),
    ];

    public static TuiAction? For(char key)
    {
        foreach (var k in All)
        {
            if (k.Key == key)
            {
                return k.Action;
            }
        }

        return null;
    }

    /// <summary>The help line under the list.</summary>
    public static string Help =>
        "enter/e shell  " + string.Join("  ", All.Skip(1).Select(k => $"{k.Key} {k.Label}")) + "  / filter  F5 refresh  q quit";
}
