namespace Scute.Policy.Audit;

/// <summary>
/// What <see cref="AuditChain.Verify"/> found: every line that reads as a record (also those
/// after a break, so they can still be shown), the line count, and the first broken line.
/// </summary>
public sealed record AuditChainReport(IReadOnlyList<AuditRecord> Records, int LineCount, AuditChainBreak? Break, string LastLineDigest)
{
    public static AuditChainReport Empty { get; } = new([], 0, null, AuditChain.Genesis);

    public bool IsIntact => Break is null;
}

/// <summary>The first line (1-based) the chain cannot vouch for, and why.</summary>
public sealed record AuditChainBreak(int Line, string Reason)
{
    public override string ToString() => $"line {Line}: {Reason}";
}
