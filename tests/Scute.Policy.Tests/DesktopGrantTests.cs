using Scute.Policy.Audit;
using Scute.Policy.Checks;
using Scute.Policy.Host;

namespace Scute.Policy.Tests;

/// <summary>Issue 12, point 6: each desktop grant is named, with the manifest line that asked for it, and the host can forbid it.</summary>
public sealed class DesktopGrantTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("scute-desktop-policy-").FullName;

    private const string AllGrants = """
        [gui]
        apps = ["x11-utils"]
        dbus_talk = ["org.freedesktop.Notifications", "org.kde.StatusNotifierWatcher"]

        [hardware]
        gpu = true
        audio = true
        """;

    [Fact]
    public void Each_grant_is_derived_with_the_key_that_asked_for_it()
    {
        var context = Manifests.Resolve(AllGrants);

        Assert.Equal(
            [
                new DesktopGrant("audio", "audio", "hardware.audio"),
                new DesktopGrant("display", "display", "gui.apps"),
                new DesktopGrant("gpu", "gpu", "hardware.gpu"),
                new DesktopGrant("session_bus", "org.freedesktop.Notifications", "gui.dbus_talk"),
                new DesktopGrant("session_bus", "org.kde.StatusNotifierWatcher", "gui.dbus_talk"),
            ],
            context.Desktop);
    }

    [Fact]
    public void A_gpu_alone_asks_for_the_display_and_no_grant_is_none()
    {
        Assert.Contains(new DesktopGrant("display", "display", "hardware.gpu"), Manifests.Resolve("[hardware]\ngpu = true\n").Desktop);
        Assert.Empty(Manifests.Resolve().Desktop);
    }

    [Fact]
    public void Grants_survive_the_stored_json_and_a_context_without_them_keeps_its_bytes()
    {
        var context = Manifests.Resolve(AllGrants);

        var back = SecurityContextJson.Parse(context.ToJson().ToJsonString());

        Assert.Equal(context.Desktop, back.Desktop);
        Assert.DoesNotContain("desktop", Manifests.Resolve().ToJson().ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_audit_trail_names_each_grant_and_the_manifest_line()
    {
        var manifest = Manifests.Parse(AllGrants);

        var grants = AuditEntries.For(SecurityContextResolver.Resolve(manifest), manifest).Where(e => e.Kind == AuditKind.DesktopGrant).ToList();

        // Manifests.Head ends after line 4: [gui] is line 5, apps 6, dbus_talk 7, [hardware] 9, gpu 10, audio 11.
        Assert.Equal(
            [
                ("desktop.audio", "asked for by hardware.audio (scute.toml line 11)"),
                ("desktop.display", "asked for by gui.apps (scute.toml line 6)"),
                ("desktop.gpu", "asked for by hardware.gpu (scute.toml line 10)"),
                ("desktop.session_bus.org.freedesktop.Notifications", "asked for by gui.dbus_talk (scute.toml line 7)"),
                ("desktop.session_bus.org.kde.StatusNotifierWatcher", "asked for by gui.dbus_talk (scute.toml line 7)"),
            ],
            grants.Select(g => (g.Field, g.Reason)));
        Assert.Contains("X11", grants.Single(g => g.Field == "desktop.display").Value, StringComparison.Ordinal);
    }

    [Fact]
    public void The_policy_report_lists_each_grant_on_its_line()
    {
        var report = PolicyEngine.Evaluate(Manifests.Parse(AllGrants), HostPolicy.Default).Report;

        var desktop = report.Results.Where(r => r.CheckId == "desktop").ToList();
        Assert.All(desktop, r => Assert.True(r.Allowed, r.Detail));
        Assert.Equal(["gui.apps", "gui.dbus_talk", "gui.dbus_talk", "hardware.audio", "hardware.gpu"], desktop.Select(r => r.Key));
        Assert.Equal([6, 7, 7, 11, 10], desktop.Select(r => r.Line ?? 0));
        Assert.Contains(desktop, r => r.Detail.Contains("org.kde.StatusNotifierWatcher", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("allow_display", "gui.apps", "allow_display = false")]
    [InlineData("allow_session_bus", "gui.dbus_talk", "allow_session_bus = false")]
    [InlineData("allow_audio", "hardware.audio", "audio")]
    [InlineData("allow_gpu", "hardware.gpu", "GPU")]
    public void The_host_can_forbid_each_grant(string key, string refusedKey, string said)
    {
        var host = HostPolicyLoader.Read(Write("policy.toml", $"[desktop]\n{key} = false\n"), HostPolicy.Default);

        var e = Assert.Throws<PolicyViolationException>(() => PolicyEngine.Enforce(Manifests.Parse(AllGrants), host));

        Assert.Contains(refusedKey, e.Message, StringComparison.Ordinal);
        Assert.Contains(said, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_user_file_cannot_turn_the_display_or_bus_back_on()
    {
        var system = Write("system.toml", "[desktop]\nallow_display = false\nallow_session_bus = false\n");
        var user = Write("user.toml", "[desktop]\nallow_display = true\nallow_session_bus = true\nallow_gpu = false\n");

        var p = HostPolicyLoader.Load(system, user);

        Assert.False(p.DisplayAllowed);
        Assert.False(p.SessionBusAllowed);
        Assert.False(p.GpuAllowed);
        Assert.True(p.AudioAllowed);
    }

    [Fact]
    public void Strict_needs_a_reason_per_bus_name_and_the_message_shows_the_line_to_add()
    {
        var manifest = Manifests.Parse("[gui]\ndbus_talk = [\"org.freedesktop.Notifications\"]\n[security]\nprofile = \"strict\"\n");

        var e = Assert.Throws<PolicyViolationException>(() => PolicyEngine.Enforce(manifest, HostPolicy.Default));

        Assert.Contains("\"dbus_talk.org.freedesktop.Notifications\" = \"<why", e.Message, StringComparison.Ordinal);
        Assert.Equal("dbus_talk.org.freedesktop.Notifications", DesktopCheck.OverrideKey("org.freedesktop.Notifications"));
    }

    [Fact]
    public void An_accepted_bus_override_is_audited_with_the_name()
    {
        var manifest = Manifests.Parse("[gui]\ndbus_talk = [\"org.freedesktop.Notifications\"]\n[security]\nprofile = \"strict\"\n[security.overrides]\ndbus_talk.org.freedesktop.Notifications = \"shows a notification when a build ends\"\n");

        var entries = AuditEntries.For(SecurityContextResolver.Resolve(manifest), manifest);

        Assert.Contains(new AuditEntry(AuditKind.Override, "dbus_talk.org.freedesktop.Notifications", "org.freedesktop.Notifications", "shows a notification when a build ends"), entries);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(dir, recursive: true);
}
