using Scute.Policy.Audit;

namespace Scute.Policy.Tests.Audit;

public sealed class AuditLogTests : IDisposable
{
    private readonly AuditLogFile log = new();

    public void Dispose() => log.Dispose();

    [Fact]
    public void The_same_fact_is_not_recorded_twice()
    {
        log.AppendEntries(2);
        var later = AuditLogFile.Stamp with { Time = AuditLogFile.Stamp.Time.AddHours(1), User = new AuditUser("bob", 2002) };

        var written = log.AppendEntries(2, later);

        Assert.Empty(written);
        Assert.Equal(2, log.Verify().LineCount);
    }

    [Fact]
    public void A_duplicate_inside_one_append_is_written_once()
    {
        var written = AuditLog.Append(log.Path, [AuditLogFile.Entry(1), AuditLogFile.Entry(1)], AuditLogFile.Stamp);

        Assert.Single(written);
    }

    [Theory]
    [InlineData("env")]
    [InlineData("manifest")]
    [InlineData("value")]
    [InlineData("reason")]
    public void A_different_env_manifest_value_or_reason_is_a_new_record(string change)
    {
        log.AppendEntries(1);
        var stamp = change switch
        {
            "env" => AuditLogFile.Stamp with { EnvId = new string('c', 64) },
            "manifest" => AuditLogFile.Stamp with { ManifestDigest = "sha256:" + new string('d', 64) },
            _ => AuditLogFile.Stamp,
        };
        var entry = change switch
        {
            "value" => AuditLogFile.Entry(1) with { Value = "other" },
            "reason" => AuditLogFile.Entry(1) with { Reason = "another reason for this" },
            _ => AuditLogFile.Entry(1),
        };

        var written = AuditLog.Append(log.Path, [entry], stamp);

        Assert.Single(written);
        var report = log.Verify();
        Assert.True(report.IsIntact, report.Break?.ToString());
        Assert.Equal(2, report.LineCount);
    }

    [Fact]
    public void Appending_to_a_broken_chain_is_refused_and_names_the_line()
    {
        log.AppendEntries(2);
        var lines = log.Lines();
        log.WriteLines([lines[1], lines[0]]);

        var e = Assert.Throws<AuditLogException>(() => log.AppendEntries(3));

        Assert.Equal(1, e.Line);
        Assert.Equal(log.Path, e.LogPath);
        Assert.Contains("line 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Appends_keep_extending_the_same_chain()
    {
        log.AppendEntries(1);
        log.AppendEntries(3, AuditLogFile.Stamp with { EnvId = new string('e', 64) });

        var report = log.Verify();

        Assert.True(report.IsIntact, report.Break?.ToString());
        Assert.Equal(4, report.LineCount);
    }
}
