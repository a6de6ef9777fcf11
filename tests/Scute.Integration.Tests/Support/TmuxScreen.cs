using System.Diagnostics;

namespace Scute.Integration.Tests.Support;

/// <summary>
/// A program on a real terminal: a detached tmux session (200x50) of its own server, run as the
/// test user. Keys go in with send-keys; the screen comes back with capture-pane, polled until
/// what is awaited shows or the timeout passes.
/// </summary>
public sealed class TmuxScreen : IDisposable
{
    private const string Session = "scute";
    private readonly TestUser user;
    private readonly string socket = "scute-" + Guid.NewGuid().ToString("N")[..12];
    private readonly string folder;

    public TmuxScreen(TestUser user, string folder, IReadOnlyDictionary<string, string> env, string command)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(env);
        this.user = user;
        this.folder = folder;
        // The pane stays after the program ends, so that its last words and exit status can be read.
        var shell = $"{command}; echo PROGRAM-EXITED=$?; sleep 600";
        var vars = new Dictionary<string, string>(env) { ["TERM"] = "xterm-256color" };
        Tmux(vars, "new-session", "-d", "-x", "200", "-y", "50", "-s", Session, shell);
    }

    public static bool Available => File.Exists("/usr/bin/tmux");

    public string Capture() => Tmux(null, "capture-pane", "-p", "-t", Session).Stdout;

    /// <summary>Keys by tmux name (Enter, Escape, Down, C-c ...) or literal text with <paramref name="literal"/>.</summary>
    public void Send(string keys, bool literal = false)
    {
        if (literal)
        {
            Tmux(null, "send-keys", "-t", Session, "-l", keys);
        }
        else
        {
            Tmux(null, "send-keys", "-t", Session, keys);
        }
    }

    /// <summary>A left click (xterm SGR mouse report, as a terminal sends it) on the first cell of <paramref name="text"/> on the screen.</summary>
    public void Click(string text)
    {
        var lines = Capture().Split('\n');
        var row = Array.FindIndex(lines, l => l.Contains(text, StringComparison.Ordinal));
        if (row < 0)
        {
            throw new InvalidOperationException($"'{text}' is not on the screen:\n{string.Join('\n', lines)}");
        }

        var at = $"{lines[row].IndexOf(text, StringComparison.Ordinal) + 1};{row + 1}";
        Send($"\u001b[<0;{at}M", literal: true);
        Send($"\u001b[<0;{at}m", literal: true);
    }

    /// <summary>Polls the screen until <paramref name="done"/> holds; the screen then, or a timeout naming what it showed.</summary>
    public string WaitFor(Func<string, bool> done, string what, int timeoutMs = 30_000)
    {
        ArgumentNullException.ThrowIfNull(done);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var screen = Capture();
            if (done(screen))
            {
                return screen;
            }

            if (clock.ElapsedMilliseconds > timeoutMs)
            {
                throw new TimeoutException($"the screen never showed {what} in {timeoutMs} ms; it showed:\n{screen}");
            }

            Thread.Sleep(100);
        }
    }

    public string WaitFor(string text, int timeoutMs = 30_000) =>
        WaitFor(s => s.Contains(text, StringComparison.Ordinal), $"'{text}'", timeoutMs);

    public void Dispose() => Tmux(null, "kill-server");

    private ProcessResult Tmux(IReadOnlyDictionary<string, string>? env, params string[] args) =>
        user.RunAs(["tmux", "-L", socket, .. args], folder, env, timeoutMs: 30_000);
}
