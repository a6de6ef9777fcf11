namespace Scute.Policy.Audit;

/// <summary>Who ran the command that wrote a record: login name and uid.</summary>
public sealed record AuditUser(string Name, int Uid);
