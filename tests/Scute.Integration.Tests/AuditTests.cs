using System.Text.Json.Nodes;
using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>DESIGN §2.5 with the real binary: build appends the relaxations, scute audit shows them.</summary>
[Trait("Category", "Integration")]
public sealed class AuditTests
{
    public const string StrictWithRelaxations = """
        manifest_version = 1

        [base]
        image = "builtin:busybox"

        [security]
        profile = "strict"
        user = 1001
        group = 1001
        readonly_root = false

        [security.capabilities]
        NET_BIND_SERVICE = "serves HTTP on port 80 to the LAN"

        [security.overrides]
        readonly_root = "the upstream app writes its cache under /usr/share/app"
        """;

    [SkippableFact]
    public void Strict_build_records_its_capability_and_override_with_their_reasons()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        s.Write("scute.toml", StrictWithRelaxations);
        var build = s.Scute("--json", "build", "--name", "web");
        Assert.True(build.ExitCode == 0, build.ToString());
        var envId = JsonNode.Parse(build.Stdout)!["env_id"]!.GetValue<string>();

        var audit = s.Scute("--json", "audit");
        var rebuild = s.Scute("build");
        var again = s.Scute("--json", "audit", "web");
        var table = s.Scute("audit", envId[..12]);

        Assert.True(audit.ExitCode == 0, audit.ToString());
        var records = JsonNode.Parse(audit.Stdout)!.AsArray();
        Assert.Equal(2, records.Count);
        var capability = records.Single(r => r!["kind"]!.GetValue<string>() == "capability")!;
        var relaxation = records.Single(r => r!["kind"]!.GetValue<string>() == "override")!;
        Assert.Equal("capabilities.NET_BIND_SERVICE", capability["field"]!.GetValue<string>());
        Assert.Equal("serves HTTP on port 80 to the LAN", capability["reason"]!.GetValue<string>());
        Assert.Equal("readonly_root", relaxation["field"]!.GetValue<string>());
        Assert.Equal("false", relaxation["value"]!.GetValue<string>());
        Assert.Equal("the upstream app writes its cache under /usr/share/app", relaxation["reason"]!.GetValue<string>());
        Assert.All(records, r => Assert.Equal(envId, r!["env_id"]!.GetValue<string>()));
        Assert.All(records, r => Assert.Equal(s.User.Name, r!["user"]!["name"]!.GetValue<string>()));
        Assert.All(records, r => Assert.Equal(s.User.Uid, r!["user"]!["uid"]!.GetValue<int>()));
        Assert.Equal(new string('0', 64), records[0]!["prev"]!.GetValue<string>());

        Assert.True(rebuild.ExitCode == 0, rebuild.ToString());
        Assert.Equal(2, JsonNode.Parse(again.Stdout)!.AsArray().Count);
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.StartsWith("TIME", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("serves HTTP on port 80 to the LAN", table.Stdout);
    }

    [SkippableFact]
    public void Karapace_manifest_records_the_dev_profile_relaxations()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        s.Write("karapace.toml", Manifests.Karapace);
        Assert.Equal(0, s.Scute("build", "--name", "dev").ExitCode);

        var audit = s.Scute("--json", "audit", "dev");

        Assert.True(audit.ExitCode == 0, audit.ToString());
        var records = JsonNode.Parse(audit.Stdout)!.AsArray();
        Assert.Equal(
            ["readonly_root=false", "user=invoking-user"],
            records.Select(r => $"{r!["field"]!.GetValue<string>()}={r["value"]!.GetValue<string>()}"));
        Assert.All(records, r => Assert.Equal("dev_profile", r!["kind"]!.GetValue<string>()));
        Assert.All(records, r => Assert.Equal("profile dev: no [security] table", r!["reason"]!.GetValue<string>()));
    }

    [SkippableFact]
    public void Unknown_environment_exits_1()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        s.Build(StrictWithRelaxations);

        var audit = s.Scute("audit", "nope");

        Assert.True(audit.ExitCode == 1, audit.ToString());
        Assert.Contains("nope", audit.Stderr);
    }

    [SkippableFact]
    public void A_changed_byte_on_line_1_still_shows_the_records_then_exits_3_naming_the_line()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        s.Build(StrictWithRelaxations);
        AuditLogEdit.ChangeOneByteOfLine1(s);

        var audit = s.Scute("audit");
        var json = s.Scute("--json", "audit");

        Assert.True(audit.ExitCode == 3, audit.ToString());
        Assert.Contains("line 1", audit.Stderr);
        Assert.Contains("log.jsonl", audit.Stderr);
        Assert.Contains("readonly_root", audit.Stdout);
        Assert.Equal(3, json.ExitCode);
        Assert.Equal(2, JsonNode.Parse(json.Stdout)!.AsArray().Count);
    }
}

/// <summary>Edits the store's audit log as an attacker or a bad disk would.</summary>
internal static class AuditLogEdit
{
    public static string LogPath(ScuteSession s) => Path.Combine(s.Store, "store", "audit", "log.jsonl");

    /// <summary>Changes one letter of the first line's reason ("serves" → "servez"), keeping valid JSON.</summary>
    public static void ChangeOneByteOfLine1(ScuteSession s)
    {
        var path = LogPath(s);
        var bytes = File.ReadAllBytes(path);
        var firstLineEnd = Array.IndexOf(bytes, (byte)'\n');
        var text = System.Text.Encoding.UTF8.GetString(bytes, 0, firstLineEnd);
        var at = text.IndexOf("serves", StringComparison.Ordinal);
        Assert.True(at >= 0, "line 1 should be the capability record");
        bytes[at + 5] = (byte)'z';
        File.WriteAllBytes(path, bytes);
    }
}
