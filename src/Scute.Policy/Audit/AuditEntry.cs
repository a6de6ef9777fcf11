namespace Scute.Policy.Audit;

/// <summary>What one relaxation is, before it is stamped with time, user and chain (see <see cref="AuditRecord"/>).</summary>
public sealed record AuditEntry(string Kind, string Field, string Value, string Reason);
