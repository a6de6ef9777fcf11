namespace Scute.Store.Tar;

/// <summary>
/// An entry was one type when its folder was listed and another when the walk opened it (a
/// folder swapped for a symlink, say). The walk stops rather than guess: what it would record
/// could be neither the old tree nor the new one, and a tar sorted by the old type would not
/// stay sorted. Nothing was read through the changed entry.
/// </summary>
public sealed class TreeChangedException : IOException
{
    public TreeChangedException()
    {
        EntryPath = "";
    }

    public TreeChangedException(string message)
        : base(message)
    {
        EntryPath = "";
    }

    public TreeChangedException(string message, Exception? innerException)
        : base(message, innerException)
    {
        EntryPath = "";
    }

    /// <param name="now">What it is now; null when it was something else at the open and is back to its listed type since.</param>
    internal TreeChangedException(string entryPath, TreeEntryKind listed, TreeEntryKind? now)
        : base($"'{entryPath}' changed from {Describe(listed)} to {(now is { } kind ? Describe(kind) : "something else")} while the tree was being read; "
            + "nothing was read through it. Stop whatever is changing the environment and try again")
    {
        EntryPath = entryPath;
    }

    /// <summary>Relative path of the entry in the walked tree.</summary>
    public string EntryPath { get; }

    private static string Describe(TreeEntryKind kind) => kind switch
    {
        TreeEntryKind.Directory => "a folder",
        TreeEntryKind.RegularFile => "a file",
        TreeEntryKind.Symlink => "a symlink",
        TreeEntryKind.CharDevice => "a character device",
        TreeEntryKind.BlockDevice => "a block device",
        TreeEntryKind.Fifo => "a fifo",
        _ => "a socket",
    };
}
