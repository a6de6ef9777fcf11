using System.Text;
using Scute.Policy.Audit;

namespace Scute.Policy.Tests.Audit;

public sealed class AuditChainTests : IDisposable
{
    private readonly AuditLogFile log = new();

    public void Dispose() => log.Dispose();

    [Fact]
    public void Appended_records_form_an_intact_chain_starting_at_64_zeros()
    {
        var written = log.AppendEntries(3);

        var report = log.Verify();

        Assert.Equal(3, written.Count);
        Assert.True(report.IsIntact, report.Break?.ToString());
        Assert.Equal(3, report.LineCount);
        Assert.Equal(new string('0', 64), report.Records[0].Prev);
        var lines = log.Lines();
        Assert.Equal(AuditChain.LineDigest(Encoding.UTF8.GetBytes(lines[0])), report.Records[1].Prev);
        Assert.Equal(AuditChain.LineDigest(Encoding.UTF8.GetBytes(lines[1])), report.Records[2].Prev);
        Assert.Equal(AuditChain.LineDigest(Encoding.UTF8.GetBytes(lines[2])), report.LastLineDigest);
    }

    [Fact]
    public void A_line_is_canonical_json_with_every_field()
    {
        log.AppendEntries(1);

        var line = log.Lines()[0];

        Assert.StartsWith("{\"checksum\":\"", line, StringComparison.Ordinal);
        Assert.Contains(
            "\"env_id\":\"" + new string('a', 64) + "\",\"field\":\"field1\",\"kind\":\"override\",\"manifest_digest\":\"sha256:" + new string('b', 64)
            + "\",\"prev\":\"" + new string('0', 64) + "\",\"reason\":\"reason number 1 for this\",\"time\":\"2026-01-02T03:04:05Z\",\"user\":{\"name\":\"alice\",\"uid\":2001},\"value\":\"value1\"}",
            line,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_or_missing_log_is_intact()
    {
        Assert.True(AuditChain.Verify([]).IsIntact);
        Assert.Equal(0, AuditLog.Read(log.Path).LineCount);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Changing_one_byte_of_a_line_names_that_line(int index)
    {
        log.AppendEntries(3);
        var lines = log.Lines();
        lines[index] = lines[index].Replace("reason number", "reason numbeR", StringComparison.Ordinal);
        log.WriteLines(lines);

        var report = log.Verify();

        Assert.Equal(index + 1, report.Break?.Line);
        Assert.Contains("checksum", report.Break!.Reason, StringComparison.Ordinal);
        Assert.Equal(3, report.Records.Count);
    }

    [Fact]
    public void Flipping_any_single_byte_of_the_first_line_names_line_1()
    {
        log.AppendEntries(2);
        var original = log.Bytes();
        var firstLineLength = Array.IndexOf(original, (byte)'\n');

        for (var i = 0; i < firstLineLength; i++)
        {
            var bytes = (byte[])original.Clone();
            bytes[i] ^= 0x01;
            Assert.Equal(1, AuditChain.Verify(bytes).Break?.Line);
        }
    }

    [Fact]
    public void Truncated_last_line_is_named_as_incomplete()
    {
        log.AppendEntries(3);
        var bytes = log.Bytes();
        File.WriteAllBytes(log.Path, bytes[..^10]);

        var report = log.Verify();

        Assert.Equal(3, report.Break?.Line);
        Assert.Contains("incomplete", report.Break!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_final_newline_is_named_even_when_the_line_is_whole()
    {
        log.AppendEntries(2);
        File.WriteAllBytes(log.Path, log.Bytes()[..^1]);

        Assert.Equal(2, log.Verify().Break?.Line);
    }

    [Fact]
    public void Reordered_lines_are_named()
    {
        log.AppendEntries(3);
        var lines = log.Lines();
        log.WriteLines([lines[0], lines[2], lines[1]]);

        var report = log.Verify();

        Assert.Equal(2, report.Break?.Line);
        Assert.Contains("prev", report.Break!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_removed_first_line_is_named()
    {
        log.AppendEntries(3);
        log.WriteLines(log.Lines().Skip(1));

        Assert.Equal(1, log.Verify().Break?.Line);
    }

    [Fact]
    public void Missing_field_is_named()
    {
        log.AppendEntries(2);
        var lines = log.Lines();
        lines[1] = lines[1].Replace(",\"reason\":\"reason number 2 for this\"", string.Empty, StringComparison.Ordinal);
        log.WriteLines(lines);

        var report = log.Verify();

        Assert.Equal(2, report.Break?.Line);
        Assert.Equal("missing field 'reason'", report.Break!.Reason);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("[1,2]")]
    [InlineData("")]
    public void Garbage_lines_are_named(string garbage)
    {
        log.AppendEntries(2);
        var lines = log.Lines();
        File.WriteAllText(log.Path, lines[0] + "\n" + garbage + "\n" + lines[1] + "\n");

        Assert.Equal(2, log.Verify().Break?.Line);
    }

    [Fact]
    public void Whitespace_added_to_a_line_is_named()
    {
        log.AppendEntries(2);
        var lines = log.Lines();
        lines[0] = lines[0].Replace(",\"field\"", ", \"field\"", StringComparison.Ordinal);
        log.WriteLines(lines);

        Assert.Equal(1, log.Verify().Break?.Line);
    }
}
