using Scute.Manifest;
using Scute.Policy.Host;

namespace Scute.Policy.Tests.Host;

/// <summary>DESIGN §2.3: the system file is authoritative; a user file can only tighten it.</summary>
public sealed class HostPolicyTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("scute-host-policy-").FullName;

    private string Write(string name, string text)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private HostPolicy Load(string system, string user) => HostPolicyLoader.Load(Write("system.toml", system), Write("user.toml", user));

    [Fact]
    public void No_files_gives_the_defaults()
    {
        var p = HostPolicyLoader.Load(Path.Combine(dir, "none.toml"), Path.Combine(dir, "none-either.toml"));

        Assert.Equal(HostPolicy.Default.AllowedProfiles, p.AllowedProfiles);
        Assert.True(p.OverridesAllowed);
        Assert.Equal(["/home", "/tmp"], p.MountPrefixes);
        Assert.Contains("NET_BIND_SERVICE", p.AllowedCapabilities);
        Assert.DoesNotContain("SYS_ADMIN", p.AllowedCapabilities);
        Assert.True(p.GpuAllowed && p.AudioAllowed && p.NetworkAllowed);
    }

    [Fact]
    public void User_file_cannot_turn_a_forbidden_device_or_network_back_on()
    {
        var p = Load("[hardware]\ngpu = false\n[network]\nallowed = false\n", "[hardware]\ngpu = true\naudio = true\n[network]\nallowed = true\n");

        Assert.False(p.GpuAllowed);
        Assert.False(p.NetworkAllowed);
        Assert.True(p.AudioAllowed);
    }

    [Fact]
    public void User_file_cannot_add_capabilities_profiles_or_overrides()
    {
        var p = Load(
            "[capabilities]\nallowed = [\"NET_BIND_SERVICE\", \"CHOWN\"]\n[profiles]\nallowed = [\"strict\"]\n[overrides]\nallowed = false\n",
            "[capabilities]\nallowed = [\"NET_BIND_SERVICE\", \"SYS_ADMIN\"]\n[profiles]\nallowed = [\"strict\", \"dev\"]\n[overrides]\nallowed = true\n");

        Assert.Equal(["NET_BIND_SERVICE"], p.AllowedCapabilities.Order(StringComparer.Ordinal));
        Assert.Equal(["strict"], p.AllowedProfiles);
        Assert.False(p.OverridesAllowed);
    }

    [Fact]
    public void User_file_cannot_widen_mount_prefixes_or_raise_limits()
    {
        var p = Load("[mounts]\nallowed_prefixes = [\"/home\"]\n[limits]\nmax_memory_mb = 4096\n", "[mounts]\nallowed_prefixes = [\"/\", \"/home/alice/projects\", \"/srv\"]\n[limits]\nmax_memory_mb = 99999\nmax_cpu_shares = 512\n");

        Assert.Equal(["/home/alice/projects"], p.MountPrefixes);
        Assert.Equal(4096, p.MaxMemoryMb);
        Assert.Equal(512, p.MaxCpuShares);
    }

    [Fact]
    public void User_file_can_tighten_everything_it_names()
    {
        var p = Load(string.Empty, "[hardware]\ngpu = false\n[environment]\ndeny = [\"LANG\"]\n[limits]\nmax_memory_mb = 1024\n");

        Assert.False(p.GpuAllowed);
        Assert.Contains("LANG", p.EnvironmentDeny);
        Assert.DoesNotContain("LANG", EnvironmentPolicy.Allowed(p));
        Assert.Equal(1024, p.MaxMemoryMb);
    }

    [Fact]
    public void User_file_cannot_let_a_variable_through_that_the_system_does_not()
    {
        var p = Load("[environment]\nallow = [\"EDITOR\"]\n", "[environment]\nallow = [\"EDITOR\", \"SSH_AUTH_SOCK\", \"PAGER\"]\n");

        Assert.Equal(["EDITOR"], p.EnvironmentAllow);
        var allowed = EnvironmentPolicy.Allowed(p);
        Assert.Contains("EDITOR", allowed);
        Assert.DoesNotContain("PAGER", allowed);
        Assert.DoesNotContain("SSH_AUTH_SOCK", allowed);
    }

    [Fact]
    public void Secrets_never_pass_even_when_the_system_file_allows_them()
    {
        var p = Load("[environment]\nallow = [\"SSH_AUTH_SOCK\", \"AWS_SECRET_ACCESS_KEY\"]\n", string.Empty);

        Assert.DoesNotContain("SSH_AUTH_SOCK", EnvironmentPolicy.Allowed(p));
        Assert.DoesNotContain("AWS_SECRET_ACCESS_KEY", EnvironmentPolicy.Allowed(p));
    }

    [Fact]
    public void A_dangerous_capability_is_addable_only_when_the_system_file_names_it()
    {
        var p = Load("[capabilities]\nallowed = [\"SYS_PTRACE\"]\n", string.Empty);

        Assert.Contains("SYS_PTRACE", p.AllowedCapabilities);
        Assert.DoesNotContain("SYS_PTRACE", HostPolicy.Default.AllowedCapabilities);
    }

    [Fact]
    public void Denied_mount_sources_default_to_the_built_in_list()
    {
        var p = HostPolicyLoader.Load(Path.Combine(dir, "none.toml"), null);

        Assert.Equal(SecretLocations.Defaults, p.DeniedMountSources);
        Assert.Contains("~/.ssh", p.DeniedMountSources);
        Assert.Contains("$XDG_RUNTIME_DIR", p.DeniedMountSources);
    }

    [Fact]
    public void System_and_user_files_add_denied_mount_sources_to_the_defaults()
    {
        var p = Load("[mounts]\ndenied_sources = [\"/srv/secrets\"]\n", "[mounts]\ndenied_sources = [\"~/.vault-token\", \"$XDG_RUNTIME_DIR/keyring\"]\n");

        Assert.Superset(new HashSet<string>(SecretLocations.Defaults), new HashSet<string>(p.DeniedMountSources));
        Assert.Contains("/srv/secrets", p.DeniedMountSources);
        Assert.Contains("~/.vault-token", p.DeniedMountSources);
        Assert.Contains("$XDG_RUNTIME_DIR/keyring", p.DeniedMountSources);
    }

    [Fact]
    public void User_file_cannot_remove_a_denied_mount_source()
    {
        var empty = Load("[mounts]\ndenied_sources = [\"/srv/secrets\"]\n", "[mounts]\ndenied_sources = []\n");
        var other = Load("[mounts]\ndenied_sources = [\"/srv/secrets\"]\n", "[mounts]\ndenied_sources = [\"/srv/other\"]\n");

        Assert.Equal(SecretLocations.Defaults.Append("/srv/secrets"), empty.DeniedMountSources);
        Assert.Contains("/srv/secrets", other.DeniedMountSources);
        Assert.Contains("~/.ssh", other.DeniedMountSources);
    }

    [Fact]
    public void Merging_joins_the_denied_mount_sources_whatever_each_side_holds()
    {
        var system = HostPolicy.Default with { DeniedMountSources = ["~/.ssh", "/srv/secrets"] };
        var user = HostPolicy.Default with { DeniedMountSources = ["~/.kube"] };

        Assert.Equal(["~/.ssh", "/srv/secrets", "~/.kube"], HostPolicyMerge.Tighten(system, user).DeniedMountSources);
    }

    [Theory]
    [InlineData("[mounts]\ndenied_sources = [\"relative/secret\"]\n", "relative/secret")]
    [InlineData("[mounts]\ndenied_sources = [\"$HOME/.ssh\"]\n", "mounts.denied_sources")]
    [InlineData("[network]\nallowd = true\n", "allowd")]
    [InlineData("[bogus]\n", "bogus")]
    [InlineData("[capabilities]\nallowed = [\"FLY\"]\n", "FLY")]
    [InlineData("[mounts]\nallowed_prefixes = [\"relative\"]\n", "relative")]
    [InlineData("[hardware]\ngpu = \"no\"\n", "gpu")]
    public void Bad_policy_files_are_refused_naming_the_key(string text, string named)
    {
        var path = Write("system.toml", text);

        var e = Assert.Throws<ManifestException>(() => HostPolicyLoader.Load(path, null));

        Assert.Contains(named, e.Message, StringComparison.Ordinal);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(dir, recursive: true);
}
