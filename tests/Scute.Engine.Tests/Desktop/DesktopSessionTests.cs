using System.Net.Sockets;
using Scute.Engine.Desktop;
using Scute.Policy;
using Scute.Policy.Host;
using Scute.Runtime;

namespace Scute.Engine.Tests.Desktop;

/// <summary>How the grants of issue 12 become one run's tmpfs folders, binds and variables (no server needed: sockets made here).</summary>
public sealed class DesktopSessionTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("scute-desktop-test-").FullName;
    private readonly List<Socket> sockets = [];

    private static readonly DesktopGrant Display = new("display", "display", "gui.apps");
    private static readonly DesktopGrant Audio = new("audio", "audio", "hardware.audio");

    private static RunSpec Spec() => new()
    {
        LowerDirs = ["/l"],
        UpperDir = "/u",
        WorkDir = "/w",
        MergedDir = "/m",
        Command = ["true"],
        Uid = 1001,
        Gid = 1001,
        IdMap = new IdMap { HostUid = 1, HostGid = 1, InsideUserForHost = 0, InsideGroupForHost = 0 },
        Environment = new Dictionary<string, string> { ["TERM"] = "xterm" },
    };

    private string Listen(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        s.Bind(new UnixDomainSocketEndPoint(path));
        sockets.Add(s);
        return path;
    }

    [Fact]
    public void Wayland_and_audio_land_in_a_private_runtime_folder_with_the_variables_pointing_there()
    {
        var runtime = Path.Combine(dir, "rt");
        Listen(Path.Combine(runtime, "wayland-1"));
        Listen(Path.Combine(runtime, "pulse", "native"));
        Listen(Path.Combine(runtime, "pipewire-0"));
        Listen(Path.Combine(runtime, "other-socket"));
        var home = Path.Combine(dir, "home");
        Directory.CreateDirectory(Path.Combine(home, ".config", "pulse"));
        File.WriteAllBytes(Path.Combine(home, ".config", "pulse", "cookie"), [1, 2, 3]);
        var env = new Dictionary<string, string> { ["WAYLAND_DISPLAY"] = "wayland-1", ["XDG_RUNTIME_DIR"] = runtime, ["HOME"] = home };

        using var session = DesktopSession.Open(Spec(), [Audio, Display], HostPolicy.Default, env.GetValueOrDefault, TextWriter.Null);
        var spec = session.Spec;

        Assert.Equal([new TmpfsMount("/run/user/1001", "700", UserOwned: true)], spec.Tmpfs);
        Assert.Equal(
            [
                $"{runtime}/wayland-1 -> /run/user/1001/wayland-1",
                $"{runtime}/pulse/native -> /run/user/1001/pulse/native",
                "(copy) -> /run/user/1001/pulse/cookie ro",
                $"{runtime}/pipewire-0 -> /run/user/1001/pipewire-0",
            ],
            spec.Mounts.Select(m => $"{(m.Source.StartsWith(runtime, StringComparison.Ordinal) ? m.Source : "(copy)")} -> {m.Target}{(m.ReadOnly ? " ro" : string.Empty)}"));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(spec.Mounts[2].Source));
        Assert.Equal("wayland-1", spec.Environment["WAYLAND_DISPLAY"]);
        Assert.Equal("/run/user/1001", spec.Environment["XDG_RUNTIME_DIR"]);
        Assert.Equal("unix:/run/user/1001/pulse/native", spec.Environment["PULSE_SERVER"]);
        Assert.Equal("/run/user/1001/pulse/cookie", spec.Environment["PULSE_COOKIE"]);
        Assert.Equal("xterm", spec.Environment["TERM"]);
        Assert.False(spec.Environment.ContainsKey("DISPLAY"));
    }

    [Fact]
    public void The_generated_files_go_when_the_run_ends()
    {
        var runtime = Path.Combine(dir, "rt");
        Listen(Path.Combine(runtime, "pulse", "native"));
        var cookie = Path.Combine(dir, "cookie");
        File.WriteAllBytes(cookie, [9]);
        var env = new Dictionary<string, string> { ["XDG_RUNTIME_DIR"] = runtime, ["PULSE_COOKIE"] = cookie };

        string copy;
        using (var session = DesktopSession.Open(Spec(), [Audio], HostPolicy.Default, env.GetValueOrDefault, TextWriter.Null))
        {
            copy = session.Spec.Mounts.Single(m => m.Target.EndsWith("/cookie", StringComparison.Ordinal)).Source;
            Assert.True(File.Exists(copy));
        }

        Assert.False(File.Exists(copy));
        Assert.False(Directory.Exists(Path.GetDirectoryName(copy)));
    }

    [Fact]
    public void No_grant_changes_nothing_and_a_missing_server_is_said_not_failed()
    {
        var spec = Spec();
        using (var none = DesktopSession.Open(spec, [], HostPolicy.Default, _ => null, TextWriter.Null))
        {
            Assert.Same(spec, none.Spec);
        }

        var notes = new StringWriter();
        using var session = DesktopSession.Open(spec, [Display, Audio], HostPolicy.Default, _ => null, notes);

        Assert.Empty(session.Spec.Mounts);
        Assert.Contains("display grant has nothing to pass", notes.ToString(), StringComparison.Ordinal);
        Assert.Contains("audio grant has no sound server", notes.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_grant_the_host_forbids_since_the_build_is_refused_at_run_time()
    {
        var host = HostPolicy.Default with { DisplayAllowed = false };

        var e = Assert.Throws<PolicyViolationException>(() => DesktopSession.Open(Spec(), [Display], host, _ => null, TextWriter.Null));

        Assert.Contains("gui.apps", e.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        foreach (var s in sockets)
        {
            s.Dispose();
        }

        Directory.Delete(dir, recursive: true);
    }
}
