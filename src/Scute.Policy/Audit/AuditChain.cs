using System.Text.Json;
using System.Text.Json.Nodes;
using Scute.Manifest;

namespace Scute.Policy.Audit;

/// <summary>
/// The hash chain of the audit trail. Each line must be a canonical record whose checksum
/// matches its content and whose "prev" is the sha256 of the previous line's bytes (64 zeros
/// on line 1); the file must end with a newline. Pure: bytes in, report out.
/// </summary>
public static class AuditChain
{
    public static readonly string Genesis = new('0', 64);

    private static readonly JsonDocumentOptions ParseOptions = new() { AllowDuplicateProperties = false };

    /// <summary>sha256 (64 hex) of one line's bytes, without its newline: the next line's "prev".</summary>
    public static string LineDigest(ReadOnlySpan<byte> line) => AuditRecord.Hex(line);

    public static AuditChainReport Verify(ReadOnlySpan<byte> content)
    {
        var records = new List<AuditRecord>();
        AuditChainBreak? broken = null;
        var expectedPrev = Genesis;
        var number = 0;
        while (!content.IsEmpty)
        {
            number++;
            var end = content.IndexOf((byte)'\n');
            var complete = end >= 0;
            var line = complete ? content[..end] : content;
            content = complete ? content[(end + 1)..] : [];
            var problem = Check(line, expectedPrev, records);
            if (!complete)
            {
                problem = "the line is incomplete (no newline at its end: an interrupted write)";
            }

            if (problem is not null && broken is null)
            {
                broken = new AuditChainBreak(number, problem);
            }

            expectedPrev = LineDigest(line);
        }

        return new AuditChainReport(records, number, broken, expectedPrev);
    }

    private static string? Check(ReadOnlySpan<byte> line, string expectedPrev, List<AuditRecord> records)
    {
        if (line.IsEmpty)
        {
            return "empty line";
        }

        JsonObject? obj;
        try
        {
            obj = JsonNode.Parse(line, documentOptions: ParseOptions) as JsonObject;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            return $"not valid JSON ({e.Message.ReplaceLineEndings(" ")})";
        }

        if (obj is null)
        {
            return "not a JSON object";
        }

        var record = AuditRecordParser.TryParse(obj, out var problem);
        if (record is null)
        {
            return problem;
        }

        records.Add(record);
        if (!line.SequenceEqual(CanonicalJson.SerializeToUtf8Bytes(obj)))
        {
            return "not in canonical form (sorted keys, no whitespace): the line was changed";
        }

        if (obj["checksum"]!.GetValue<string>() != record.Checksum)
        {
            return "checksum does not match the line's content: the line was changed";
        }

        if (record.Prev != expectedPrev)
        {
            return expectedPrev == Genesis
                ? "prev is not 64 zeros although this is the first line: lines were removed or reordered"
                : "prev does not match the sha256 of the line before: lines were removed, inserted or reordered";
        }

        return null;
    }
}
