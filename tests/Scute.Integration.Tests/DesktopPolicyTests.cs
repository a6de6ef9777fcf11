using System.Text.Json.Nodes;
using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>
/// Issue 12, point 6 with the real binary: each desktop grant in scute policy, inspect and the
/// audit trail with the manifest line that asked for it; a grant the host policy forbids is
/// exit 2 before anything is built.
/// </summary>
[Trait("Category", "Integration")]
public sealed class DesktopPolicyTests
{
    private const string Grants = """
        manifest_version = 1

        [base]
        image = "builtin:busybox"

        [gui]
        dbus_talk = ["org.freedesktop.Notifications"]

        [hardware]
        gpu = true
        audio = true
        """;

    [SkippableFact]
    public void Policy_inspect_and_audit_name_every_grant_with_its_line()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        s.Write("scute.toml", Grants);

        var policy = s.Scute("--json", "policy");
        var build = s.Scute("--json", "build");
        var id = JsonNode.Parse(build.Stdout)?["short_id"]?.GetValue<string>() ?? string.Empty;
        var inspect = s.Scute("inspect", id);
        var audit = s.Scute("--json", "audit", id);

        Assert.True(policy.ExitCode == 0, policy.ToString());
        var desktop = JsonNode.Parse(policy.Stdout)!["checks"]!.AsArray().Where(c => c!["check"]!.GetValue<string>() == "desktop")
            .Select(c => $"{c!["key"]} {c["line"]}").ToList();
        Assert.Equal(["gui.dbus_talk 7", "hardware.audio 11", "hardware.gpu 10", "hardware.gpu 10"], desktop); // gpu: the GPU and the display it draws to
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.True(inspect.ExitCode == 0, inspect.ToString());
        Assert.Contains("desktop session_bus", inspect.Stdout, StringComparison.Ordinal);
        Assert.Contains("org.freedesktop.Notifications, through xdg-dbus-proxy (never the bus itself) (asked for by gui.dbus_talk)", inspect.Stdout, StringComparison.Ordinal);
        Assert.Contains("desktop display", inspect.Stdout, StringComparison.Ordinal);
        Assert.True(audit.ExitCode == 0, audit.ToString());
        var records = JsonNode.Parse(audit.Stdout)!.AsArray().Where(r => r!["kind"]!.GetValue<string>() == "desktop_grant")
            .Select(r => $"{r!["field"]}: {r["reason"]}").ToList();
        Assert.Equal(
            [
                "desktop.audio: asked for by hardware.audio (scute.toml line 11)",
                "desktop.display: asked for by hardware.gpu (scute.toml line 10)",
                "desktop.gpu: asked for by hardware.gpu (scute.toml line 10)",
                "desktop.session_bus.org.freedesktop.Notifications: asked for by gui.dbus_talk (scute.toml line 7)",
            ],
            records);
    }

    [SkippableTheory]
    [InlineData("allow_session_bus", "gui.dbus_talk")]
    [InlineData("allow_display", "hardware.gpu")]
    [InlineData("allow_audio", "hardware.audio")]
    [InlineData("allow_gpu", "hardware.gpu")]
    public void A_grant_the_host_forbids_is_exit_2_before_anything_is_built(string key, string refused)
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        s.Write("scute.toml", Grants);
        // The user's own policy file may only tighten the system's: enough to forbid.
        s.Write("config/scute/policy.toml", $"[desktop]\n{key} = false\n");
        s.Environment["XDG_CONFIG_HOME"] = Path.Combine(s.Project, "config");

        var build = s.Scute("build");
        var list = s.Scute("--json", "list");

        Assert.Equal(2, build.ExitCode);
        Assert.Contains(refused, build.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", build.Stderr, StringComparison.Ordinal);
        Assert.True(list.ExitCode != 0 || JsonNode.Parse(list.Stdout)!.AsArray().Count == 0, list.ToString());
    }
}
