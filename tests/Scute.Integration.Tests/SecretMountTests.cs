using System.Text.Json.Nodes;
using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>
/// Secrets by mount, with the real binary as scute-test: a manifest that mounts ~/.ssh, ~ or a
/// link to ~/.ssh is refused in both profiles unless an override names the mount; the override
/// is audited; scute policy names the rule; exec refuses a secret location that appeared later.
/// The test user's home is shared with other tests: only ~/.ssh/id_test (and ~/.ssh when it was
/// not there) is created, and removed again.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SecretMountTests : IDisposable
{
    private const string KeyContent = "scute-test-private-key-7f3a";

    private static readonly TestUser User = TestUser.WithSubIds;

    private readonly bool createdSshFolder;

    public SecretMountTests()
    {
        if (!User.Exists)
        {
            return;
        }

        createdSshFolder = !Directory.Exists(Ssh);
        var made = User.RunAs(["sh", "-c", "mkdir -p \"$HOME/.ssh\" && chmod 700 \"$HOME/.ssh\" && cat > \"$HOME/.ssh/id_test\""], stdin: KeyContent);
        Assert.True(made.ExitCode == 0, made.ToString());
    }

    private static string Ssh => Path.Combine(User.Home, ".ssh");

    public void Dispose()
    {
        File.Delete(Path.Combine(Ssh, "id_test"));
        if (createdSshFolder && Directory.Exists(Ssh) && !Directory.EnumerateFileSystemEntries(Ssh).Any())
        {
            Directory.Delete(Ssh);
        }
    }

    private static string Manifest(string profile, string mounts, string overrides = "") =>
        "manifest_version = 1\n\n[base]\nimage = \"builtin:busybox\"\n\n[mounts]\n" + mounts + "\n"
        + (profile == "strict" ? "\n[security]\nprofile = \"strict\"\n" : string.Empty)
        + (overrides.Length > 0 ? "\n[security.overrides]\n" + overrides + "\n" : string.Empty);

    [SkippableTheory]
    [InlineData("dev")]
    [InlineData("strict")]
    public void Mounting_ssh_home_or_a_link_to_ssh_is_refused_before_anything_is_built(string profile)
    {
        var s = new ScuteSession(User);
        Assert.Equal(0, s.User.RunAs(["ln", "-s", Ssh, "keys-link"], s.Project).ExitCode);
        s.Write("ssh.toml", Manifest(profile, "keys = \"~/.ssh:/keys:ro\""));
        s.Write("home.toml", Manifest(profile, "home = \"~:/host-home\""));
        s.Write("link.toml", Manifest(profile, "keys = \"./keys-link:/keys:ro\""));

        var ssh = s.Scute("build", "ssh.toml");
        var home = s.Scute("build", "home.toml");
        var link = s.Scute("build", "link.toml");

        foreach (var (r, label) in new[] { (ssh, "keys"), (home, "home"), (link, "keys") })
        {
            Assert.True(r.ExitCode == 2, r.ToString());
            var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("scute: /", StringComparison.Ordinal));
            Assert.Contains($"mounts.{label}: host path ", line, StringComparison.Ordinal);
            // Other tests may leave more secret locations in the shared home: "location" or "locations".
            Assert.Contains("the secret location", line, StringComparison.Ordinal);
            Assert.Contains(Ssh, line, StringComparison.Ordinal);
            Assert.Contains($"\"mounts.{label}\" = \"<why this is needed, in a sentence>\"", line, StringComparison.Ordinal);
        }

        Assert.Contains($"host path {User.Home} contains the secret location", home.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(s.Store) && Directory.EnumerateFileSystemEntries(s.Store).Any(), "nothing may be built");
    }

    [SkippableTheory]
    [InlineData("dev")]
    [InlineData("strict")]
    public void An_override_with_a_reason_lets_the_build_through_and_lands_in_the_audit_trail(string profile)
    {
        var s = new ScuteSession(User);
        const string Reason = "the dotfiles installer needs the whole home folder";
        s.Write("short.toml", Manifest(profile, "home = \"~:/host-home:ro\"", "\"mounts.home\" = \"needed\""));
        s.Write("scute.toml", Manifest(profile, "home = \"~:/host-home:ro\"", $"\"mounts.home\" = \"{Reason}\""));

        var refused = s.Scute("build", "short.toml");
        var build = s.Scute("build", "--name", "dotfiles");
        var audit = s.Scute("--json", "audit", "dotfiles");

        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains("security.overrides.mounts.home", refused.Stderr, StringComparison.Ordinal);
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.True(audit.ExitCode == 0, audit.ToString());
        var record = Assert.Single(JsonNode.Parse(audit.Stdout)!.AsArray(), r => r!["field"]!.GetValue<string>() == "mounts.home")!;
        Assert.Equal("override", record["kind"]!.GetValue<string>());
        Assert.Equal($"{User.Home}:/host-home:ro", record["value"]!.GetValue<string>());
        Assert.Equal(Reason, record["reason"]!.GetValue<string>());
    }

    [SkippableFact]
    public void Policy_names_the_rule_and_the_location()
    {
        var s = new ScuteSession(User);
        s.Write("scute.toml", Manifest("strict", "keys = \"~/.ssh:/keys:ro\""));

        var table = s.Scute("policy");
        var json = s.Scute("--json", "policy");

        Assert.True(table.ExitCode == 2, table.ToString());
        var row = Assert.Single(table.Stdout.Split('\n'), l => l.StartsWith("secret_mounts", StringComparison.Ordinal));
        Assert.Contains("REFUSED", row, StringComparison.Ordinal);
        Assert.Contains($"is the secret location {Ssh}", row, StringComparison.Ordinal);
        var check = Assert.Single(JsonNode.Parse(json.Stdout)!["checks"]!.AsArray(), c => c!["check"]!.GetValue<string>() == "secret_mounts")!;
        Assert.False(check["allowed"]!.GetValue<bool>());
        Assert.Equal("mounts.keys", check["key"]!.GetValue<string>());
        Assert.Contains(Ssh, check["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_secret_location_that_appears_under_a_mounted_folder_after_the_build_is_refused_at_exec()
    {
        // A home of its own: ~ is mounted, and the shared home already holds ~/.ssh.
        var s = new ScuteSession(User);
        var home = Path.Combine(s.Root, "home");
        Assert.Equal(0, s.User.RunAs(["mkdir", "-p", home]).ExitCode);
        var env = new Dictionary<string, string> { ["SCUTE_STORE"] = s.Store, ["HOME"] = home };
        s.Write("scute.toml", Manifest("strict", "home = \"~:/host-home:ro\""));
        var build = s.User.RunAs([ScuteBinary.Path, "--json", "build"], s.Project, env);
        Assert.True(build.ExitCode == 0, build.ToString());
        var id = JsonNode.Parse(build.Stdout)!["short_id"]!.GetValue<string>();
        var before = s.User.RunAs([ScuteBinary.Path, "exec", id, "--", "ls", "/host-home"], s.Project, env);

        Assert.Equal(0, s.User.RunAs(["sh", "-c", "mkdir -m 700 \"$HOME/.ssh\" && cat > \"$HOME/.ssh/id_test\""], s.Project, env, KeyContent).ExitCode);
        var after = s.User.RunAs([ScuteBinary.Path, "exec", id, "--", "cat", "/host-home/.ssh/id_test"], s.Project, env);

        Assert.True(before.ExitCode == 0, before.ToString());
        Assert.Equal(125, after.ExitCode);
        Assert.Contains($"mounts.home: host path {home} contains the secret location {home}/.ssh", after.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(KeyContent, after.Stdout, StringComparison.Ordinal);
    }
}
