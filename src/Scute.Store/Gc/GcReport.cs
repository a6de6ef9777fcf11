namespace Scute.Store.Gc;

/// <summary>One thing gc removed (or, with --dry-run, would remove).</summary>
public sealed record GcRemoval(GcNode Node, string Path, long Bytes);

/// <summary>
/// One thing gc could not remove, and how the user can. <see cref="Path"/> is where it is now
/// (folders are first moved into store/staging, so a half-deleted one is never in use).
/// </summary>
public sealed record GcFailure(GcNode Node, string Path, string Reason, string? Hint);

public sealed record GcReport(
    bool DryRun,
    IReadOnlyList<GcRemoval> Removed,
    IReadOnlyList<GcFailure> Failed,
    int Kept,
    int NotReached,
    bool Interrupted)
{
    public int Count(GcKind kind) => Removed.Count(r => r.Node.Kind == kind);

    public long ObjectBytes => Removed.Where(r => r.Node.Kind == GcKind.Object).Sum(r => r.Bytes);
}
