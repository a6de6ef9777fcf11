using System.Text.Json.Nodes;
using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>scute policy: validate without building; host policy from the user's file can only tighten.</summary>
[Trait("Category", "Integration")]
public sealed class PolicyCommandTests
{
    [SkippableFact]
    public void Policy_prints_the_context_and_each_check_and_exits_0_when_allowed()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        s.Write("scute.toml", Manifests.Strict);

        var table = s.Scute("policy");
        var json = s.Scute("--json", "policy");

        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("readonly_root", table.Stdout);
        Assert.Contains("1001:1001", table.Stdout);
        var doc = JsonNode.Parse(json.Stdout)!;
        Assert.True(doc["allowed"]!.GetValue<bool>());
        Assert.Equal("strict", doc["security"]!["profile"]!.GetValue<string>());
        Assert.Contains(doc["checks"]!.AsArray(), c => c!["check"]!.GetValue<string>() == "capabilities");
        Assert.False(Directory.Exists(s.Store) && Directory.EnumerateFileSystemEntries(s.Store).Any());
    }

    [SkippableFact]
    public void Policy_exits_2_and_lists_every_violation()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        s.Write("scute.toml", "manifest_version = 1\n[base]\nimage = \"debian:latest\"\n[security]\nreadonly_root = false\n[security.capabilities]\nSYS_ADMIN = \"needs to mount things at run time\"\n");

        var r = s.Scute("--json", "policy");

        Assert.Equal(2, r.ExitCode);
        var refused = JsonNode.Parse(r.Stdout)!["checks"]!.AsArray().Where(c => !c!["allowed"]!.GetValue<bool>()).Select(c => c!["check"]!.GetValue<string>()).ToList();
        Assert.Contains("image", refused);
        Assert.Contains("readonly_root", refused);
        Assert.Contains("capabilities", refused);
    }

    [SkippableFact]
    public void A_user_policy_file_tightens_but_cannot_loosen()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        var config = Path.Combine(s.Root, "config");
        s.User.RunAs(["mkdir", "-p", Path.Combine(config, "scute")]);
        s.User.RunAs(["sh", "-c", $"cat > {config}/scute/policy.toml"], stdin: "[network]\nallowed = false\n[capabilities]\nallowed = [\"NET_BIND_SERVICE\", \"SYS_ADMIN\"]\n");
        var env = new Dictionary<string, string> { ["SCUTE_STORE"] = s.Store, ["XDG_CONFIG_HOME"] = config };
        s.Write("karapace.toml", Manifests.Karapace);
        s.Write("admin.toml", Manifests.Strict + "\n[security.capabilities]\nSYS_ADMIN = \"needs to mount things at run time\"\n");

        var hostNetwork = s.User.RunAs([ScuteBinary.Path, "build", "karapace.toml"], s.Project, env);
        var sysAdmin = s.User.RunAs([ScuteBinary.Path, "build", "admin.toml"], s.Project, env);

        Assert.Equal(2, hostNetwork.ExitCode);
        Assert.Contains("network_isolation", hostNetwork.Stderr);
        Assert.Equal(2, sysAdmin.ExitCode);
        Assert.Contains("SYS_ADMIN", sysAdmin.Stderr);
    }
}
