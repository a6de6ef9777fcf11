using System.Text.Json.Nodes;
using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>verify-store with the real binary: counts on a sound store, each corrupt item named, exit 3.</summary>
[Trait("Category", "Integration")]
public sealed class VerifyStoreTests
{
    [SkippableFact]
    public void A_sound_store_is_ok_with_its_counts()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        s.Build(AuditTests.StrictWithRelaxations);

        var verify = s.Scute("verify-store");
        var json = s.Scute("--json", "verify-store");

        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Equal("store ok: 2 objects, 1 layers, 1 environments, 2 audit records", verify.Stdout.Trim());
        Assert.True(JsonNode.Parse(json.Stdout)!["ok"]!.GetValue<bool>());
    }

    [SkippableFact]
    public void A_changed_byte_on_audit_line_1_is_named_and_exits_3()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        s.Build(AuditTests.StrictWithRelaxations);
        AuditLogEdit.ChangeOneByteOfLine1(s);

        var verify = s.Scute("verify-store");
        var json = s.Scute("--json", "verify-store");

        Assert.True(verify.ExitCode == 3, verify.ToString());
        Assert.Contains($"audit {AuditLogEdit.LogPath(s)}: line 1:", verify.Stdout);
        Assert.Equal(3, json.ExitCode);
        var report = JsonNode.Parse(json.Stdout)!;
        Assert.False(report["ok"]!.GetValue<bool>());
        var problem = Assert.Single(report["problems"]!.AsArray())!;
        Assert.Equal("audit", problem["kind"]!.GetValue<string>());
        Assert.Equal(AuditLogEdit.LogPath(s), problem["path"]!.GetValue<string>());
        Assert.StartsWith("line 1:", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Each_corrupt_file_is_named_and_checking_goes_on()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        s.Build(AuditTests.StrictWithRelaxations);
        // The base layer's tar (the other object is the SBOM).
        var obj = Directory.GetFiles(Path.Combine(s.Store, "store", "objects")).MaxBy(f => new FileInfo(f).Length)!;
        var layer = Directory.GetFiles(Path.Combine(s.Store, "store", "layers")).Single();
        var metadata = Directory.GetFiles(Path.Combine(s.Store, "store", "metadata")).Single();
        foreach (var path in new[] { obj, layer, metadata })
        {
            var bytes = File.ReadAllBytes(path);
            bytes[bytes.Length / 2] ^= 0x01;
            File.WriteAllBytes(path, bytes);
        }

        var verify = s.Scute("verify-store");

        Assert.True(verify.ExitCode == 3, verify.ToString());
        Assert.Contains($"object {obj}:", verify.Stdout);
        Assert.Contains($"layer {layer}:", verify.Stdout);
        Assert.Contains($"metadata {metadata}:", verify.Stdout);
        Assert.DoesNotContain("audit", verify.Stdout);
    }
}
