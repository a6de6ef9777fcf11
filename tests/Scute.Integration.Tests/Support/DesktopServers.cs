using System.Diagnostics;
using System.Globalization;

namespace Scute.Integration.Tests.Support;

/// <summary>
/// The user's desktop session, made real for issue 12: two Xvfb displays on free numbers (each
/// with its own cookie in one Xauthority file, made with xauth, listening only on their
/// /tmp/.X11-unix socket) and a PulseAudio server with a null sink in a private
/// XDG_RUNTIME_DIR, all run as the test user. <see cref="Environment"/> is that session's variables.
/// </summary>
public sealed class DesktopServers : IDisposable
{
    private readonly List<Process> processes = [];

    public DesktopServers(TestUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        SkipReason = File.Exists("/usr/bin/Xvfb") && File.Exists("/usr/bin/xauth") && File.Exists("/usr/bin/pulseaudio")
            ? null
            : "Xvfb, xauth or pulseaudio is missing (packages xvfb, xauth, pulseaudio in scripts/test-packages.txt; ./test.sh installs them)";
        User = user;
        Folder = user.NewFolder();
        if (SkipReason is not null)
        {
            return;
        }

        // Made by root at boot on a desktop; Xvfb as a user cannot make it.
        Directory.CreateDirectory("/tmp/.X11-unix");
        File.SetUnixFileMode("/tmp/.X11-unix", (UnixFileMode)Convert.ToInt32("1777", 8));
        Display = FreeDisplay(50);
        OtherDisplay = FreeDisplay(Display + 1);
        StartX(Display, "00112233445566778899aabbccddeeff");
        StartX(OtherDisplay, "ffeeddccbbaa99887766554433221100");
        StartPulse();
    }

    public string? SkipReason { get; }

    public TestUser User { get; }

    public string Folder { get; }

    public int Display { get; }

    /// <summary>A second display the environment must not see.</summary>
    public int OtherDisplay { get; }

    public string Xauthority => Path.Combine(Folder, "Xauthority");

    /// <summary>The user's XDG_RUNTIME_DIR (mode 700), where PulseAudio puts pulse/native.</summary>
    public string RuntimeDir => Path.Combine(Folder, "runtime");

    /// <summary>The user's HOME for PulseAudio (its cookie: .config/pulse/cookie).</summary>
    public string Home => Path.Combine(Folder, "home");

    public Dictionary<string, string> Environment() => new()
    {
        ["DISPLAY"] = Invariant($":{Display}"),
        ["XAUTHORITY"] = Xauthority,
        ["XDG_RUNTIME_DIR"] = RuntimeDir,
        ["HOME"] = Home,
    };

    private static int FreeDisplay(int from)
    {
        for (var n = from; n < 1000; n++)
        {
            if (!File.Exists($"/tmp/.X{n}-lock") && !File.Exists($"/tmp/.X11-unix/X{n}"))
            {
                return n;
            }
        }

        throw new InvalidOperationException("no free X display number");
    }

    private void StartX(int display, string cookie)
    {
        var add = User.RunAs(["xauth", "-f", Xauthority, "add", Invariant($":{display}"), "MIT-MAGIC-COOKIE-1", cookie], Folder);
        if (add.ExitCode != 0)
        {
            throw new InvalidOperationException(add.ToString());
        }

        // Only the socket file: no TCP, no abstract socket (which any process of the host's network namespace could reach).
        Start(["Xvfb", Invariant($":{display}"), "-auth", Xauthority, "-nolisten", "tcp", "-nolisten", "local", "-screen", "0", "640x480x24"], null);
        WaitFor(Invariant($"/tmp/.X11-unix/X{display}"), "Xvfb");
    }

    private void StartPulse()
    {
        var made = User.RunAs(["sh", "-c", "mkdir -p \"$1\" \"$2\" && chmod 700 \"$1\"", "sh", RuntimeDir, Home], Folder);
        if (made.ExitCode != 0)
        {
            throw new InvalidOperationException(made.ToString());
        }

        Start(["pulseaudio", "--daemonize=no", "--exit-idle-time=-1", "-n", "--use-pid-file=no", "--disable-shm=yes",
            "-L", "module-native-protocol-unix", "-L", "module-null-sink sink_name=null"], new Dictionary<string, string> { ["XDG_RUNTIME_DIR"] = RuntimeDir, ["HOME"] = Home });
        WaitFor(Path.Combine(RuntimeDir, "pulse", "native"), "pulseaudio");
    }

    private void Start(IReadOnlyList<string> argv, IReadOnlyDictionary<string, string>? env)
    {
        var p = TestUser.StartRedirected([.. User.Prefix(env), .. argv], Folder);
        // Drained, so a chatty server never blocks on a full pipe.
        _ = p.StandardOutput.ReadToEndAsync();
        _ = p.StandardError.ReadToEndAsync();
        processes.Add(p);
    }

    private void WaitFor(string socket, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!File.Exists(socket))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(20) || processes[^1].HasExited)
            {
                throw new InvalidOperationException($"{what} did not make {socket}");
            }

            Thread.Sleep(50);
        }
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    public void Dispose()
    {
        foreach (var p in processes)
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
                p.WaitForExit(10_000);
            }

            p.Dispose();
        }
    }
}
