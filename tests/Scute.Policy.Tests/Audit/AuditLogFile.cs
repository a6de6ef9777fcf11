using System.Text;
using Scute.Policy.Audit;

namespace Scute.Policy.Tests.Audit;

/// <summary>A log.jsonl in a fresh temp folder, with helpers to fill and damage it.</summary>
internal sealed class AuditLogFile : IDisposable
{
    public static readonly AuditStamp Stamp = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), new AuditUser("alice", 2001), new string('a', 64), "sha256:" + new string('b', 64));

    private readonly string _dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "scute-audit-test-" + Guid.NewGuid().ToString("N"));

    public AuditLogFile() => Directory.CreateDirectory(_dir);

    public string Path => System.IO.Path.Combine(_dir, "audit", AuditLog.FileName);

    public static AuditEntry Entry(int i) => new(AuditKind.Override, "field" + i, "value" + i, $"reason number {i} for this");

    public IReadOnlyList<AuditRecord> AppendEntries(int count, AuditStamp? stamp = null) =>
        AuditLog.Append(Path, Enumerable.Range(1, count).Select(Entry), stamp ?? Stamp);

    public List<string> Lines() => [.. File.ReadAllText(Path).Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    public void WriteLines(IEnumerable<string> lines) => File.WriteAllText(Path, string.Concat(lines.Select(l => l + "\n")));

    public AuditChainReport Verify() => AuditChain.Verify(File.ReadAllBytes(Path));

    public byte[] Bytes() => File.ReadAllBytes(Path);

    public static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
