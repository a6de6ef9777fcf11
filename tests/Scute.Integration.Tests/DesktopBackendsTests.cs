using System.Globalization;
using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>
/// Issue 12: the desktop grants travel in the same run spec to every backend: under namespace,
/// oci and podman the environment sees the same private XDG_RUNTIME_DIR holding the audio and
/// bus sockets, the one X11 socket and the one-cookie Xauthority, and the same variables.
/// </summary>
[Trait("Category", "Integration")]
public sealed class DesktopBackendsTests
{
    private const string Manifest = """
        manifest_version = 1

        [base]
        image = "builtin:busybox"

        [gui]
        dbus_talk = ["org.scute.Manager1"]

        [hardware]
        gpu = true
        audio = true

        [runtime]

        [security]
        profile = "strict"
        user = 1001
        group = 1001

        [security.overrides]
        "dbus_talk.org.scute.Manager1" = "the test asks Scute's own service whether it answers"
        """;

    private const string Probe = "echo \"rt=$XDG_RUNTIME_DIR display=$DISPLAY xauthority=$XAUTHORITY pulse=$PULSE_SERVER bus=$DBUS_SESSION_BUS_ADDRESS\"; "
        + "stat -c '%a %u' \"$XDG_RUNTIME_DIR\"; ls -A /tmp/.X11-unix; wc -c < \"$XAUTHORITY\"; "
        + "test -S \"$XDG_RUNTIME_DIR/pulse/native\" && echo pulse-socket; test -S \"$XDG_RUNTIME_DIR/bus\" && echo bus-socket; true";

    [SkippableTheory]
    [InlineData("namespace")]
    [InlineData("oci")]
    [InlineData("podman")]
    public void Every_backend_gets_the_same_sockets_files_and_variables(string backend)
    {
        Backends.SkipUnlessInstalled(backend);
        if (backend == "podman")
        {
            Podman.SkipIfMissing();
        }

        Skip.IfNot(File.Exists("/usr/bin/xdg-dbus-proxy"), "xdg-dbus-proxy is missing (scripts/runtime-packages.txt; ./test.sh installs it)");
        var s = new ScuteSession(TestUser.WithSubIds);
        using var servers = new DesktopServers(s.User);
        Skip.If(servers.SkipReason is not null, servers.SkipReason);
        using var bus = new SessionBus(s);
        var id = s.Build(Backends.Use(Manifest, backend));
        var env = new Dictionary<string, string>(servers.Environment()) { ["SCUTE_STORE"] = s.Store, ["DBUS_SESSION_BUS_ADDRESS"] = bus.Address };

        var r = s.User.RunAs([ScuteBinary.Path, "exec", id, "--", "sh", "-c", Probe], s.Project, env, timeoutMs: 300_000);

        Assert.True(r.ExitCode == 0, r.ToString());
        var display = servers.Display.ToString(CultureInfo.InvariantCulture);
        Assert.Equal(
            [
                $"rt=/run/user/1001 display=:{display} xauthority=/run/user/1001/Xauthority pulse=unix:/run/user/1001/pulse/native bus=unix:path=/run/user/1001/bus",
                "700 1001",
                $"X{display}",
                (44 + display.Length).ToString(CultureInfo.InvariantCulture),
                "pulse-socket",
                "bus-socket",
            ],
            r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));
    }
}
