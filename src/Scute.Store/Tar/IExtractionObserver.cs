namespace Scute.Store.Tar;

/// <summary>
/// Sees what a plain extraction writes, entry by entry, as it writes it: a regular file's
/// <see cref="Entry"/> comes before its content, which then arrives in order through
/// <see cref="Content"/>. <see cref="Invalidate"/> says the extraction did something an entry
/// list cannot describe (a hardlink).
/// </summary>
internal interface IExtractionObserver
{
    /// <param name="parts">The entry's path components.</param>
    /// <param name="permissions">The mode the extractor gives it (symlinks: 0777, as Linux reports them).</param>
    /// <param name="linkTarget">A symlink's target, else null.</param>
    void Entry(string[] parts, TreeEntryKind kind, uint permissions, long size, string? linkTarget);

    void Content(ReadOnlySpan<byte> data);

    void Invalidate();
}
