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

    [SkippableFact]
    public void The_bus_proxy_dies_with_a_scute_process_killed_by_sigkill()
    {
        Skip.IfNot(File.Exists("/usr/bin/xdg-dbus-proxy"), "xdg-dbus-proxy is missing (scripts/runtime-packages.txt; ./test.sh installs it)");
        var s = new ScuteSession(TestUser.WithSubIds);
        using var bus = new SessionBus(s);
        var id = s.Build(Backends.Use(Manifest, "namespace"));
        var env = new Dictionary<string, string> { ["SCUTE_STORE"] = s.Store, ["DBUS_SESSION_BUS_ADDRESS"] = bus.Address };
        var proxy = $"xdg-dbus-proxy {bus.Address}";

        using var run = TestUser.StartRedirected([.. s.User.Prefix(env), ScuteBinary.Path, "exec", id, "--", "sleep", "120"], s.Project);
        var running = WaitUntil(() => Pids(s, proxy).Count == 1 && Pids(s, $"exec {id} -- sleep").Count == 1);
        var scute = Pids(s, $"exec {id} -- sleep").Single();
        var kill = TestUser.Run("kill", ["-KILL", scute]);
        var gone = WaitUntil(() => Pids(s, proxy).Count == 0);
        run.WaitForExit(10_000);

        Assert.True(running, "the run and its proxy did not start: " + run.StandardError.ReadToEnd());
        Assert.True(kill.ExitCode == 0, kill.ToString());
        Assert.True(gone, "xdg-dbus-proxy outlived the killed scute process");
    }

    private static List<string> Pids(ScuteSession s, string pattern) =>
        [.. TestUser.Run("pgrep", ["-u", s.User.Name, "-f", pattern]).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    private static bool WaitUntil(Func<bool> condition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                return false;
            }

            Thread.Sleep(100);
        }

        return true;
    }
}
