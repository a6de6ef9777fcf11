namespace Scute.Policy.Audit;

/// <summary>
/// store/audit/log.jsonl on disk. The caller holds the store lock: reading the tail and
/// appending after it must not interleave with another writer.
/// </summary>
public static class AuditLog
{
    public const string FileName = "log.jsonl";

    public static string PathIn(string auditDir) => Path.Combine(auditDir, FileName);

    public static AuditChainReport Read(string path) =>
        File.Exists(path) ? AuditChain.Verify(File.ReadAllBytes(path)) : AuditChainReport.Empty;

    /// <summary>
    /// Appends one record per entry not yet recorded as the same fact (env, manifest digest,
    /// field, value, reason), chained to the last line, in one O_APPEND write, then fsyncs.
    /// Refuses to extend a broken chain. Returns the records written.
    /// </summary>
    public static IReadOnlyList<AuditRecord> Append(string path, IEnumerable<AuditEntry> entries, AuditStamp stamp)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var existing = Read(path);
        if (existing.Break is { } broken)
        {
            throw new AuditLogException(path, broken);
        }

        var prev = existing.LastLineDigest;
        var known = existing.Records.ToList();
        var written = new List<AuditRecord>();
        using var buffer = new MemoryStream();
        foreach (var entry in entries)
        {
            var record = AuditRecord.Create(entry, stamp, prev);
            if (known.Any(record.SameFact))
            {
                continue;
            }

            var line = record.ToLine();
            buffer.Write(line);
            buffer.WriteByte((byte)'\n');
            prev = AuditChain.LineDigest(line);
            known.Add(record);
            written.Add(record);
        }

        if (written.Count > 0)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            DurableFile.AppendDurably(path, buffer.ToArray());
        }

        return written;
    }
}
