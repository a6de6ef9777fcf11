using Scute.Manifest;

namespace Scute.Policy.Tests;

public sealed class SecurityContextResolverTests
{
    private static readonly string[] BaseDevices = ["full", "null", "random", "tty", "urandom", "zero"];

    [Fact]
    public void No_security_table_gives_the_dev_profile()
    {
        var s = Manifests.Resolve();

        Assert.Equal("dev", s.Profile);
        Assert.Null(s.User);
        Assert.Null(s.Group);
        Assert.False(s.ReadOnlyRoot);
        Assert.True(s.NoNewPrivileges);
        Assert.Empty(s.Capabilities);
        Assert.Equal("default", s.Seccomp);
        Assert.Equal(BaseDevices, s.Devices);
        Assert.Empty(s.Overrides);
    }

    [Fact]
    public void Strict_defaults_apply_when_only_the_table_is_present()
    {
        var s = Manifests.Resolve("[security]\n");

        Assert.Equal("strict", s.Profile);
        Assert.Equal(1001, s.User);
        Assert.Equal(1001, s.Group);
        Assert.True(s.ReadOnlyRoot);
        Assert.True(s.NoNewPrivileges);
        Assert.Empty(s.Capabilities);
        Assert.Equal("default", s.Seccomp);
        Assert.Equal(BaseDevices, s.Devices);
        Assert.Equal(["HOME", "LANG", "PATH", "SHELL", "TERM", "USER", "XDG_RUNTIME_DIR"], s.EnvironmentAllowed);
        Assert.Empty(s.Overrides);
    }

    [Fact]
    public void Explicit_strict_profile_has_the_same_defaults()
    {
        Assert.Equal(
            Manifests.Resolve("[security]\n").ToJson().ToJsonString(),
            Manifests.Resolve("[security]\nprofile = \"strict\"\n").ToJson().ToJsonString());
    }

    [Fact]
    public void Secrets_are_not_in_the_allowed_environment()
    {
        var s = Manifests.Resolve("[security]\n");

        Assert.DoesNotContain("SSH_AUTH_SOCK", s.EnvironmentAllowed);
        Assert.DoesNotContain("AWS_SECRET_ACCESS_KEY", s.EnvironmentAllowed);
        Assert.DoesNotContain("GPG_AGENT_INFO", s.EnvironmentAllowed);
        Assert.DoesNotContain("DOCKER_HOST", s.EnvironmentAllowed);
    }

    [Theory]
    [InlineData("gpu = true", "cdi:nvidia.com/gpu=all dri")]
    [InlineData("audio = true", "snd")]
    public void Hardware_adds_its_devices(string hardware, string devices)
    {
        var s = Manifests.Resolve($"[hardware]\n{hardware}\n\n[security]\n");

        Assert.Equal(BaseDevices.Concat(devices.Split(' ')).Order(StringComparer.Ordinal), s.Devices);
    }

    [Fact]
    public void Gpu_and_audio_together_add_both_sorted()
    {
        var s = Manifests.Resolve("[hardware]\ngpu = true\naudio = true\n");

        Assert.Equal(["cdi:nvidia.com/gpu=all", "dri", "full", "null", "random", "snd", "tty", "urandom", "zero"], s.Devices);
    }

    [Fact]
    public void The_gpu_card_nodes_come_only_with_their_override()
    {
        var s = Manifests.Resolve("[hardware]\ngpu = true\n\n[security]\n\n[security.overrides]\ngpu_card = \"the kiosk sets the display mode itself\"\n");

        Assert.Contains("dri-card", s.Devices);
        Assert.DoesNotContain("dri-card", Manifests.Resolve("[hardware]\ngpu = true\n\n[security]\n").Devices);
        var e = Assert.Throws<PolicyViolationException>(() => Manifests.Resolve("[security]\n\n[security.overrides]\ngpu_card = \"the kiosk sets the display mode itself\"\n"));
        Assert.Contains("gpu_card' needs [hardware] gpu = true", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Network_isolation_comes_from_runtime()
    {
        Assert.True(Manifests.Resolve("[runtime]\nnetwork_isolation = true\n").NetworkIsolation);
        Assert.False(Manifests.Resolve("[runtime]\nnetwork_isolation = false\n").NetworkIsolation);
    }

    [Fact]
    public void Capabilities_keep_their_reasons()
    {
        var s = Manifests.Resolve("[security]\n\n[security.capabilities]\nCAP_NET_BIND_SERVICE = \"serves HTTP on port 80 to the LAN\"\n");

        var cap = Assert.Single(s.Capabilities);
        Assert.Equal("NET_BIND_SERVICE", cap.Key);
        Assert.Equal("serves HTTP on port 80 to the LAN", cap.Value);
    }

    [Theory]
    [InlineData("user", 1000)]
    [InlineData("user", 1)]
    [InlineData("group", 1000)]
    public void Low_id_in_strict_without_override_is_refused_naming_field_default_and_override(string field, int id)
    {
        var text = $"[security]\nprofile = \"strict\"\n{field} = {id}\n";
        var manifest = Manifests.Parse(text);

        var e = Assert.Throws<PolicyViolationException>(() => SecurityContextResolver.Resolve(manifest));

        Assert.Contains(Manifests.Path, e.Message, StringComparison.Ordinal);
        Assert.Contains($"security.{field} = {id}", e.Message, StringComparison.Ordinal);
        Assert.Contains("1001", e.Message, StringComparison.Ordinal);
        Assert.Contains("[security.overrides]", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{field} = \"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refusal_points_at_the_line_of_the_field()
    {
        // Head is 4 lines, "[security]" is line 5, "user = 0" line 6.
        var e = Assert.Throws<PolicyViolationException>(() => Manifests.Resolve("[security]\nuser = 0\n"));

        Assert.StartsWith(Manifests.Path + ":6:", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1000)]
    public void Low_user_with_an_override_is_accepted(int id)
    {
        var s = Manifests.Resolve($"[security]\nuser = {id}\ngroup = {id}\n\n[security.overrides]\nuser = \"the upstream image only works as this user\"\ngroup = \"the upstream image only works as this group\"\n");

        Assert.Equal(id, s.User);
        Assert.Equal(id, s.Group);
        Assert.Equal(2, s.Overrides.Count);
    }

    [Fact]
    public void Override_for_user_does_not_cover_group()
    {
        var e = Assert.Throws<PolicyViolationException>(() =>
            Manifests.Resolve("[security]\nuser = 0\ngroup = 0\n\n[security.overrides]\nuser = \"runs as root inside for the legacy installer\"\n"));

        Assert.Contains("security.group", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ids_above_1000_are_accepted_without_override()
    {
        var s = Manifests.Resolve("[security]\nuser = 1001\ngroup = 4242\n");

        Assert.Equal(1001, s.User);
        Assert.Equal(4242, s.Group);
    }

    [Fact]
    public void Dev_profile_table_keeps_the_invoking_user_and_writable_root()
    {
        var s = Manifests.Resolve("[security]\nprofile = \"dev\"\n");

        Assert.Equal("dev", s.Profile);
        Assert.Null(s.User);
        Assert.False(s.ReadOnlyRoot);
    }

    [Fact]
    public void Dev_profile_with_an_explicit_low_user_is_still_refused()
    {
        Assert.Throws<PolicyViolationException>(() => Manifests.Resolve("[security]\nprofile = \"dev\"\nuser = 0\n"));
    }

    [Fact]
    public void Unknown_profile_in_the_file_is_a_manifest_error()
    {
        Assert.Throws<ManifestException>(() => Manifests.Parse("[security]\nprofile = \"lax\"\n"));
    }

    [Fact]
    public void Unknown_profile_reaching_the_resolver_is_refused()
    {
        var manifest = Manifests.Parse("[security]\n") with
        {
            Security = new SecuritySection
            {
                Profile = "lax",
                Capabilities = new Dictionary<string, string>(),
                Overrides = new Dictionary<string, string>(),
            },
        };

        var e = Assert.Throws<PolicyViolationException>(() => SecurityContextResolver.Resolve(manifest));

        Assert.Contains("lax", e.Message, StringComparison.Ordinal);
        Assert.Contains("strict, dev", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Written_values_override_profile_defaults()
    {
        var s = Manifests.Resolve("[security]\nreadonly_root = false\nno_new_privileges = false\nseccomp = \"unconfined\"\n\n[security.overrides]\nreadonly_root = \"the app writes its cache next to its binary\"\nno_new_privileges = \"the app calls a setuid helper to bind its port\"\nseccomp = \"the app uses io_uring which the default profile denies\"\n");

        Assert.False(s.ReadOnlyRoot);
        Assert.False(s.NoNewPrivileges);
        Assert.Equal("unconfined", s.Seccomp);
    }

    [Fact]
    public void Strict_relaxation_of_readonly_root_without_override_is_refused()
    {
        var e = Assert.Throws<PolicyViolationException>(() => Manifests.Resolve("[security]\nreadonly_root = false\n"));

        Assert.Contains("readonly_root", e.Message, StringComparison.Ordinal);
        Assert.Contains("[security.overrides]", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("user")]
    [InlineData("group")]
    public void Id_0_is_refused_even_with_an_override(string field)
    {
        var manifest = Manifests.Parse($"[security]\nprofile = \"strict\"\n{field} = 0\n\n[security.overrides]\n{field} = \"the vendor image only runs as root inside\"\n");

        var e = Assert.Throws<PolicyViolationException>(() => SecurityContextResolver.Resolve(manifest));

        Assert.Contains($"security.{field}", e.Message, StringComparison.Ordinal);
        Assert.Contains("never", e.Message, StringComparison.Ordinal);
    }
}
