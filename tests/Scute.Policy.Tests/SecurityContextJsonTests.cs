using System.Text;
using FsCheck.Xunit;

namespace Scute.Policy.Tests;

public sealed class SecurityContextJsonTests
{
    private static EffectiveSecurityContext RoundTrip(EffectiveSecurityContext s) => SecurityContextJson.Parse(s.ToJson().ToJsonString());

    private static void AssertSame(EffectiveSecurityContext expected, EffectiveSecurityContext actual)
    {
        Assert.Equal(expected.Profile, actual.Profile);
        Assert.Equal(expected.User, actual.User);
        Assert.Equal(expected.Group, actual.Group);
        Assert.Equal(expected.ReadOnlyRoot, actual.ReadOnlyRoot);
        Assert.Equal(expected.NoNewPrivileges, actual.NoNewPrivileges);
        Assert.Equal(expected.Capabilities.OrderBy(kv => kv.Key, StringComparer.Ordinal), actual.Capabilities.OrderBy(kv => kv.Key, StringComparer.Ordinal));
        Assert.Equal(expected.Seccomp, actual.Seccomp);
        Assert.Equal(expected.Devices, actual.Devices);
        Assert.Equal(expected.EnvironmentAllowed, actual.EnvironmentAllowed);
        Assert.Equal(expected.NetworkIsolation, actual.NetworkIsolation);
        Assert.Equal(expected.Overrides.OrderBy(kv => kv.Key, StringComparer.Ordinal), actual.Overrides.OrderBy(kv => kv.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Dev_context_round_trips_with_invoking_user()
    {
        var dev = Manifests.Resolve();

        var json = dev.ToJson();
        var back = RoundTrip(dev);

        Assert.Equal("invoking-user", json["user"]!.GetValue<string>());
        Assert.Equal("invoking-user", json["group"]!.GetValue<string>());
        AssertSame(dev, back);
    }

    [Fact]
    public void Strict_context_with_caps_and_overrides_round_trips()
    {
        var strict = Manifests.Resolve("[hardware]\ngpu = true\n\n[runtime]\nnetwork_isolation = true\n\n[security]\nuser = 500\n\n[security.capabilities]\nNET_BIND_SERVICE = \"serves HTTP on port 80\"\n\n[security.overrides]\nuser = \"the legacy installer must run as root\"\n");

        var back = RoundTrip(strict);

        AssertSame(strict, back);
        Assert.Equal(500, back.User);
    }

    [Fact]
    public void Json_keys_are_sorted_and_complete()
    {
        var keys = Manifests.Resolve("[security]\n").ToJson().Select(kv => kv.Key).ToList();

        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
        Assert.Equal(
            ["capabilities", "devices", "environment_allowed", "group", "network_isolation", "no_new_privileges", "overrides", "profile", "readonly_root", "seccomp", "user"],
            keys);
    }

    [Fact]
    public void Capabilities_are_written_sorted_whatever_the_input_order()
    {
        var s = Manifests.Resolve("[security]\n") with
        {
            Capabilities = new Dictionary<string, string> { ["SYS_TIME"] = "b", ["CHOWN"] = "a" },
        };

        Assert.Equal(["CHOWN", "SYS_TIME"], s.ToJson()["capabilities"]!.AsObject().Select(kv => kv.Key));
    }

    [Fact]
    public void Missing_profile_is_a_format_error()
    {
        var json = Manifests.Resolve("[security]\n").ToJson();
        json.Remove("profile");

        Assert.Throws<FormatException>(() => SecurityContextJson.Parse(json.ToJsonString()));
    }

    [Property(MaxTest = 200)]
    public bool Any_context_round_trips(
        bool strict, int? user, int? group, bool readOnly, bool nnp, bool net,
        string?[] devices, string?[] env, (string?, string?)[] caps, (string?, string?)[] overrides, string? seccomp)
    {
        var context = new EffectiveSecurityContext
        {
            Profile = strict ? "strict" : "dev",
            User = user,
            Group = group,
            ReadOnlyRoot = readOnly,
            NoNewPrivileges = nnp,
            Capabilities = Map(caps),
            Seccomp = Clean(seccomp),
            Devices = [.. (devices ?? []).Select(Clean)],
            EnvironmentAllowed = [.. (env ?? []).Select(Clean)],
            NetworkIsolation = net,
            Overrides = Map(overrides),
        };

        var first = context.ToJson().ToJsonString();
        var back = SecurityContextJson.Parse(first);
        AssertSame(context, back);
        // And the canonical form is a fixed point.
        return back.ToJson().ToJsonString() == first;
    }

    private static Dictionary<string, string> Map((string?, string?)[]? pairs)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in pairs ?? [])
        {
            map[Clean(k)] = Clean(v);
        }

        return map;
    }

    // Lone surrogates cannot be written as UTF-8; map them as a JSON writer would.
    private static string Clean(string? s) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(s ?? string.Empty));
}
