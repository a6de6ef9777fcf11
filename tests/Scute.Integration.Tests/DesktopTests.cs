using System.Globalization;
using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>
/// One strict Debian environment with X11, PulseAudio and D-Bus clients, built once, and the
/// user's desktop servers (two Xvfb displays, PulseAudio) started as the test user.
/// </summary>
public sealed class DesktopFixture : IDisposable
{
    private readonly Lazy<string> environment;

    public DesktopFixture()
    {
        Base = new DebianBase();
        if (Base.SkipReason is null && TestUser.WithSubIds.Exists)
        {
            Server = new ImageServerFixture();
            Server.AddRootfs("debian", "bookworm", Base.Tarball);
            Session = new ScuteSession(TestUser.WithSubIds);
            Server.Use(Session);
            Servers = new DesktopServers(TestUser.WithSubIds);
        }

        environment = new Lazy<string>(() => Session!.Build(Manifest, "desktop/scute.toml"));
    }

    // x11-utils as a [gui] app asks for the display; the bus name needs its reason in strict.
    public const string Manifest = """
        manifest_version = 1

        [base]
        image = "debian/bookworm"

        [system]
        packages = ["pulseaudio-utils", "dbus-bin"]

        [gui]
        apps = ["x11-utils"]
        dbus_talk = ["org.scute.Manager1"]

        [hardware]
        audio = true

        [mounts]
        workspace = "./:/workspace:ro"

        [security]
        profile = "strict"
        user = 1001
        group = 1001

        [security.overrides]
        image = "the test serves one fixed Debian base through its own image server"
        "dbus_talk.org.scute.Manager1" = "the test asks Scute's own service whether it answers"
        """;

    public DebianBase Base { get; }

    public ImageServerFixture? Server { get; }

    public ScuteSession? Session { get; }

    public DesktopServers? Servers { get; }

    /// <summary>The short id of the built environment.</summary>
    public string Environment => environment.Value;

    public (ScuteSession Session, DesktopServers Servers) Require()
    {
        Skip.If(Base.SkipReason is not null, Base.SkipReason);
        Skip.If(Session is null, "test user scute-test does not exist (./test.sh creates it as root)");
        Skip.If(Servers!.SkipReason is not null, Servers.SkipReason);
        return (Session!, Servers);
    }

    public void Dispose()
    {
        Servers?.Dispose();
        Server?.Dispose();
    }
}

/// <summary>
/// Issue 12, points 1, 2 and 4 with real servers: the one X11 display (and its cookie alone),
/// PulseAudio through its socket, the session bus only through xdg-dbus-proxy's filter.
/// </summary>
[Trait("Category", "Integration")]
public sealed class DesktopTests : IClassFixture<DesktopFixture>
{
    private readonly DesktopFixture fixture;

    public DesktopTests(DesktopFixture fixture) => this.fixture = fixture;

    private ProcessResult Exec(ScuteSession s, IReadOnlyDictionary<string, string> env, string script) =>
        s.User.RunAs([ScuteBinary.Path, "exec", fixture.Environment, "--", "sh", "-c", script], Path.Combine(s.Project, "desktop"), env, timeoutMs: 300_000);

    private (ScuteSession Session, DesktopServers Servers, Dictionary<string, string> Env) Ready()
    {
        var (s, servers) = fixture.Require();
        _ = fixture.Environment;
        var env = new Dictionary<string, string>(servers.Environment()) { ["SCUTE_STORE"] = s.Store };
        return (s, servers, env);
    }

    [SkippableFact]
    public void Xdpyinfo_inside_reports_the_one_display_and_the_other_display_is_not_there()
    {
        var (s, servers, env) = Ready();
        var other = servers.OtherDisplay.ToString(CultureInfo.InvariantCulture);

        var r = Exec(s, env,
            "xdpyinfo | head -1; echo \"display=$DISPLAY xauthority=$XAUTHORITY runtime=$XDG_RUNTIME_DIR\"; ls -A /tmp/.X11-unix; "
            + "wc -c < \"$XAUTHORITY\"; stat -c %a \"$XDG_RUNTIME_DIR\"; "
            + $"test -e /tmp/.X11-unix/X{other} && echo other-socket-visible; DISPLAY=:{other} xdpyinfo >/dev/null 2>&1 && echo other-display-answers; true");

        Assert.True(r.ExitCode == 0, r.ToString());
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"name of display:    :{servers.Display}", lines[0]);
        Assert.Equal($"display=:{servers.Display} xauthority=/run/user/1001/Xauthority runtime=/run/user/1001", lines[1]);
        Assert.Equal($"X{servers.Display}", lines[2]); // this display's socket alone
        // One FamilyWild entry: 2 + (2+0) + (2+len(number)) + (2+18) + (2+16) bytes; the host file holds both cookies.
        Assert.Equal((44 + servers.Display.ToString(CultureInfo.InvariantCulture).Length).ToString(CultureInfo.InvariantCulture), lines[3].Trim());
        Assert.Equal("700", lines[4]);
        Assert.DoesNotContain("other-socket-visible", r.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("other-display-answers", r.Stdout, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Without_the_cookie_the_display_refuses_so_the_generated_one_is_what_lets_xdpyinfo_in()
    {
        var (s, servers, env) = Ready();

        var r = Exec(s, env, "XAUTHORITY=/dev/null xdpyinfo >/dev/null 2>&1 && echo answered || echo refused");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("refused", r.Stdout.Trim());
    }

    [SkippableFact]
    public void Pactl_answers_and_paplay_plays_a_generated_wav_to_the_null_sink()
    {
        var (s, _, env) = Ready();
        var wav = Path.Combine(s.Project, "desktop", "tone.wav");
        File.WriteAllBytes(wav, Wav.Sine(440, 8000, TimeSpan.FromMilliseconds(300)));
        File.SetUnixFileMode(wav, (UnixFileMode)Convert.ToInt32("644", 8));

        var r = Exec(s, env, "echo \"pulse=$PULSE_SERVER\"; pactl info | grep -E '^(Server Name|Default Sink):'; paplay /workspace/tone.wav && echo played");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("pulse=unix:/run/user/1001/pulse/native", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("Server Name: pulseaudio", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("Default Sink: null", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("played", r.Stdout, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void The_allowed_bus_name_answers_a_forbidden_one_gets_an_error_and_the_proxy_ends_with_the_run()
    {
        var (s, _, env) = Ready();
        using var bus = new SessionBus(s);
        _ = bus.StartService(); // the bus ends it
        foreach (var (k, v) in bus.Environment())
        {
            env[k] = v;
        }

        env["SCUTE_STORE"] = s.Store;
        const string Ping = "dbus-send --session --print-reply --reply-timeout=5000 --dest={0} /{1} org.freedesktop.DBus.Peer.Ping";

        var r = Exec(s, env,
            "echo \"bus=$DBUS_SESSION_BUS_ADDRESS\"; "
            + string.Format(CultureInfo.InvariantCulture, Ping, "org.scute.Manager1", "org/scute/Manager1") + " >/dev/null && echo allowed-answers; "
            + string.Format(CultureInfo.InvariantCulture, Ping, "org.karapace.Manager1", "org/karapace/Manager1") + " 2>&1 || echo forbidden-refused; "
            + $"test -e {bus.Folder}/bus && echo host-bus-visible; true");
        // This run's proxy (other tests run theirs at the same time): it notices the end of the run and exits.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        ProcessResult proxies;
        while ((proxies = TestUser.Run("pgrep", ["-u", s.User.Name, "-f", $"xdg-dbus-proxy {bus.Address}"])).ExitCode == 0 && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            Thread.Sleep(100);
        }


        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("bus=unix:path=/run/user/1001/bus", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("allowed-answers", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("forbidden-refused", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("org.freedesktop.DBus.Error.", r.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("host-bus-visible", r.Stdout, StringComparison.Ordinal);
        Assert.True(bus.Owned("org.karapace.Manager1"), "the forbidden name is on the host bus: only the filter keeps it out");
        Assert.True(proxies.ExitCode == 1, "xdg-dbus-proxy outlived the run: " + proxies);
    }
}

/// <summary>A small PCM WAV (mono, 16-bit), made by the test.</summary>
internal static class Wav
{
    public static byte[] Sine(int hz, int rate, TimeSpan length)
    {
        var samples = (int)(rate * length.TotalSeconds);
        using var m = new MemoryStream();
        using var w = new BinaryWriter(m);
        w.Write("RIFF"u8);
        w.Write(36 + (samples * 2));
        w.Write("WAVEfmt "u8);
        w.Write(16);
        w.Write((short)1); // PCM
        w.Write((short)1); // mono
        w.Write(rate);
        w.Write(rate * 2);
        w.Write((short)2);
        w.Write((short)16);
        w.Write("data"u8);
        w.Write(samples * 2);
        for (var i = 0; i < samples; i++)
        {
            w.Write((short)(8000 * Math.Sin(2 * Math.PI * hz * i / rate)));
        }

        w.Flush();
        return m.ToArray();
    }
}
