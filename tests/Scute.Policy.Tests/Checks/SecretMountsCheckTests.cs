using Scute.Manifest;
using Scute.Policy.Checks;
using Scute.Policy.Host;

namespace Scute.Policy.Tests.Checks;

/// <summary>
/// Secrets by mount: a source that is, lies in or contains a denied location is refused, with
/// symlinks followed on both sides, unless an override accepted by the host names the mount.
/// A fake home in a temp folder stands in for ~ (the entries are given expanded).
/// </summary>
public sealed class SecretMountsCheckTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("scute-secret-mounts-").FullName;

    private string Home => Path.Combine(root, "home");

    private string Ssh => Path.Combine(Home, ".ssh");

    public SecretMountsCheckTests()
    {
        Directory.CreateDirectory(Ssh);
        File.WriteAllText(Path.Combine(Ssh, "id_test"), "secret");
        Directory.CreateDirectory(Path.Combine(Home, "projects"));
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    private HostPolicy Host(bool overrides = true, params string[] denied) =>
        HostPolicy.Default with { OverridesAllowed = overrides, DeniedMountSources = denied.Length == 0 ? [Ssh, Path.Combine(Home, ".gnupg")] : denied };

    private EnvironmentManifest Manifest(string mounts, string overrides = "") =>
        ManifestParser.Parse(Manifests.Head + "[mounts]\n" + mounts + "\n" + overrides, Path.Combine(root, "scute.toml"));

    private static List<CheckResult> Findings(EnvironmentManifest manifest, HostPolicy host) =>
        [.. PolicyEngine.Evaluate(manifest, host).Report.Results.Where(r => r.CheckId == "secret_mounts")];

    [Fact]
    public void Mounting_the_secret_location_itself_is_refused_naming_it_and_the_override()
    {
        var finding = Assert.Single(Findings(Manifest($"keys = \"{Ssh}:/keys:ro\""), Host()));

        Assert.False(finding.Allowed);
        Assert.Equal("mounts.keys", finding.Key);
        Assert.Contains($"is the secret location {Ssh}", finding.Detail, StringComparison.Ordinal);
        Assert.Contains("\"mounts.keys\" = \"<why", finding.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Mounting_a_folder_inside_it_is_refused()
    {
        Directory.CreateDirectory(Path.Combine(Ssh, "sub"));

        var finding = Assert.Single(Findings(Manifest($"keys = \"{Ssh}/sub:/keys\""), Host()));

        Assert.False(finding.Allowed);
        Assert.Contains($"lies in the secret location {Ssh}", finding.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Mounting_an_ancestor_of_an_existing_location_is_refused_naming_what_is_under_it()
    {
        var finding = Assert.Single(Findings(Manifest($"home = \"{Home}:/h\""), Host()));

        Assert.False(finding.Allowed);
        Assert.Contains($"host path {Home} contains the secret location {Ssh} (host policy [mounts] denied_sources)", finding.Detail, StringComparison.Ordinal);
        // ~/.gnupg is not there: it is not named, and alone it would not refuse the mount.
        Assert.DoesNotContain(".gnupg", finding.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ancestor_of_locations_that_are_not_there_is_allowed()
    {
        var finding = Assert.Single(Findings(Manifest($"home = \"{Home}:/h\""), Host(true, Path.Combine(Home, ".gnupg"))));

        Assert.True(finding.Allowed, finding.Detail);
    }

    [Fact]
    public void A_sibling_with_a_common_name_prefix_is_allowed()
    {
        var sibling = Directory.CreateDirectory(Path.Combine(Home, ".ssh-backup-notes")).FullName;

        var finding = Assert.Single(Findings(Manifest($"notes = \"{sibling}:/notes\""), Host()));

        Assert.True(finding.Allowed, finding.Detail);
    }

    [Fact]
    public void A_link_to_the_location_is_followed()
    {
        var link = Path.Combine(Home, "projects", "link");
        File.CreateSymbolicLink(link, Ssh);

        var finding = Assert.Single(Findings(Manifest($"link = \"{link}:/keys\""), Host()));

        Assert.False(finding.Allowed);
        Assert.Contains($"(it resolves to {Ssh}) is the secret location {Ssh}", finding.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_location_that_is_itself_a_link_is_matched_where_it_leads()
    {
        var keys = Directory.CreateDirectory(Path.Combine(root, "vault", "gpg")).FullName;
        var gnupg = Path.Combine(Home, ".gnupg");
        File.CreateSymbolicLink(gnupg, keys);

        var target = Assert.Single(Findings(Manifest($"vault = \"{keys}:/v\""), Host()));
        var parent = Assert.Single(Findings(Manifest($"vault = \"{Path.Combine(root, "vault")}:/v\""), Host()));

        Assert.False(target.Allowed);
        Assert.Contains($"{gnupg} (-> {keys})", target.Detail, StringComparison.Ordinal);
        Assert.False(parent.Allowed);
    }

    [Fact]
    public void An_override_accepted_by_the_host_allows_it()
    {
        var manifest = Manifest($"home = \"{Home}:/h\"", "[security.overrides]\n\"mounts.home\" = \"the legacy tool reads its keys from the home folder\"\n");

        var finding = Assert.Single(Findings(manifest, Host()));
        var refused = Assert.Single(Findings(manifest, Host(overrides: false)));

        Assert.True(finding.Allowed, finding.Detail);
        Assert.Contains("allowed by [security.overrides] \"mounts.home\"", finding.Detail, StringComparison.Ordinal);
        Assert.False(refused.Allowed);
        Assert.Contains("the host policy accepts no overrides", refused.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void An_override_for_another_mount_does_not_allow_it()
    {
        var manifest = Manifest($"home = \"{Home}:/h\"\nwork = \"{Home}/projects:/w\"", "[security.overrides]\n\"mounts.work\" = \"the legacy tool reads its keys from the home folder\"\n");

        var findings = Findings(manifest, Host());

        Assert.False(findings.Single(f => f.Key == "mounts.home").Allowed);
        Assert.True(findings.Single(f => f.Key == "mounts.work").Allowed);
    }

    [Fact]
    public void Build_refuses_in_one_line_naming_the_line_the_location_and_the_override()
    {
        var manifest = Manifest($"home = \"{Home}:/h\"");

        var e = Assert.Throws<PolicyViolationException>(() => PolicyEngine.Enforce(manifest, Host()));

        Assert.DoesNotContain('\n', e.Message);
        Assert.StartsWith($"{manifest.SourcePath}:6: mounts.home: host path {Home} contains the secret location {Ssh}", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("\"mounts.home\" = \"<why this is needed, in a sentence>\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_locations_under_a_mount_are_named_up_to_three()
    {
        var names = new[] { ".aws", ".kube", ".docker", ".netrc" }.Select(n => Path.Combine(Home, n)).ToArray();
        foreach (var n in names)
        {
            Directory.CreateDirectory(n);
        }

        var finding = Assert.Single(Findings(Manifest($"home = \"{Home}:/h\""), Host(true, [Ssh, .. names])));

        Assert.Contains("contains the secret locations ", finding.Detail, StringComparison.Ordinal);
        Assert.Contains(" and 2 more", finding.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Expansion_uses_the_home_the_runtime_folder_and_the_agent_socket_of_the_user()
    {
        var user = new SecretLocations.InvokingUser("/home/alice", "/run/user/1234", "/tmp/ssh-x/agent.9");

        var expanded = SecretLocations.Expand(["~", "~/.ssh/", "$XDG_RUNTIME_DIR", "$XDG_RUNTIME_DIR/bus", "$SSH_AUTH_SOCK", "/run/dbus/../docker.sock"], user);

        Assert.Equal(["/home/alice", "/home/alice/.ssh", "/run/user/1234", "/run/user/1234/bus", "/tmp/ssh-x/agent.9", "/run/docker.sock"], expanded.Select(d => d.Path));
        Assert.Equal("~/.ssh/", expanded[1].Entry);
    }

    [Fact]
    public void Entries_that_cannot_be_expanded_deny_nothing()
    {
        var user = new SecretLocations.InvokingUser(null, "/run/user/1234", null);

        Assert.Empty(SecretLocations.Expand(["~/.ssh", "$SSH_AUTH_SOCK"], user));
    }

    [Fact]
    public void The_runtime_folder_is_XDG_RUNTIME_DIR_else_run_user_uid()
    {
        var set = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        var uid = File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal))
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[2];

        var current = SecretLocations.InvokingUser.Current();

        Assert.Equal(set is { Length: > 0 } && set.StartsWith('/') ? set : $"/run/user/{uid}", current.RuntimeDir);
    }

    [Theory]
    [InlineData("~/.ssh", true)]
    [InlineData("~", true)]
    [InlineData("/run/docker.sock", true)]
    [InlineData("$XDG_RUNTIME_DIR", true)]
    [InlineData("$XDG_RUNTIME_DIR/bus", true)]
    [InlineData("$SSH_AUTH_SOCK", true)]
    [InlineData("relative/.ssh", false)]
    [InlineData("~alice/.ssh", false)]
    [InlineData("$HOME/.ssh", false)]
    [InlineData("$XDG_RUNTIME_DIRx", false)]
    [InlineData("", false)]
    public void Entries_are_absolute_or_start_with_tilde_or_a_known_variable(string entry, bool accepted) =>
        Assert.Equal(accepted, SecretLocations.IsEntry(entry));

    [Fact]
    public void The_defaults_cover_the_required_locations()
    {
        Assert.Superset(
            new HashSet<string>(
            [
                "~/.ssh", "~/.gnupg", "~/.aws", "~/.azure", "~/.kube", "~/.docker", "~/.config/containers", "~/.config/gcloud",
                "~/.netrc", "~/.pgpass", "~/.local/share/keyrings", "~/.password-store", "$XDG_RUNTIME_DIR",
                "/run/docker.sock", "/var/run/docker.sock", "/run/podman", "/run/containerd", "/run/dbus", "/var/run/dbus",
            ]),
            new HashSet<string>(HostPolicy.Default.DeniedMountSources));
        Assert.All(HostPolicy.Default.DeniedMountSources, e => Assert.True(SecretLocations.IsEntry(e), e));
    }
}
