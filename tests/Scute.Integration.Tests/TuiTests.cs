using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>scute tui on a real terminal (tmux), as the test user with a store of their own.</summary>
[Trait("Category", "Integration")]
public sealed class TuiTests
{
    private const string Header = "SHORT_ID";

    [SkippableFact]
    public void The_list_shows_the_store_s_environments_and_the_filter_narrows_it()
    {
        Skip.IfNot(TmuxScreen.Available, "needs tmux (scripts/test-packages.txt)");
        var s = new ScuteSession(TestUser.WithSubIds);
        var alpha = s.Build(Manifests.Strict, "alpha.toml", name: "tui-alpha");
        var beta = s.Build(Manifests.WithImage("builtin:busybox"), "beta.toml", name: "tui-beta");
        using var tui = Start(s);

        var screen = tui.WaitFor(x => x.Contains(alpha, StringComparison.Ordinal) && x.Contains(beta, StringComparison.Ordinal), "both environments");
        Assert.Contains("tui-alpha", screen, StringComparison.Ordinal);
        Assert.Contains("built", screen, StringComparison.Ordinal);

        tui.Send("/", literal: true);
        tui.Send("beta", literal: true);
        tui.WaitFor(x => x.Contains(beta, StringComparison.Ordinal) && !x.Contains(alpha, StringComparison.Ordinal), "only tui-beta");

        tui.Send("Enter");
        tui.Send("q", literal: true);
        tui.WaitFor("PROGRAM-EXITED=0");
    }

    [SkippableFact]
    public void Destroy_asks_first_and_then_removes_the_environment()
    {
        Skip.IfNot(TmuxScreen.Available, "needs tmux (scripts/test-packages.txt)");
        var s = new ScuteSession(TestUser.WithSubIds);
        var doomed = s.Build(Manifests.Strict, name: "tui-doomed");
        using var tui = Start(s);
        tui.WaitFor(doomed);

        tui.Send("d", literal: true);
        tui.WaitFor("Destroy tui-doomed");
        tui.Send("Escape");
        tui.WaitFor("not done");
        Assert.Contains(doomed, s.Scute("list").Stdout, StringComparison.Ordinal);

        tui.Send("d", literal: true);
        tui.WaitFor("Destroy tui-doomed");
        tui.Send("y", literal: true);
        tui.WaitFor($"destroyed {doomed}");
        var after = tui.WaitFor(x => x.Split('\n').Count(l => l.Contains(doomed, StringComparison.Ordinal)) == 1, "the environment gone from the list");

        Assert.DoesNotContain("tui-doomed ", after, StringComparison.Ordinal);
        var list = s.Scute("list");
        Assert.Equal(0, list.ExitCode);
        Assert.DoesNotContain(doomed, list.Stdout, StringComparison.Ordinal);
        tui.Send("q", literal: true);
        tui.WaitFor("PROGRAM-EXITED=0");
    }

    [SkippableFact]
    public void Enter_gives_a_shell_and_exit_returns_to_the_list()
    {
        Skip.IfNot(TmuxScreen.Available, "needs tmux (scripts/test-packages.txt)");
        var s = new ScuteSession(TestUser.WithSubIds);
        var env = s.Build(Manifests.Strict, name: "tui-shell");
        using var tui = Start(s);
        tui.WaitFor(env);

        tui.Send("Enter");
        tui.WaitFor(x => !x.Contains(Header, StringComparison.Ordinal), "the UI gone for the shell");
        tui.Send("echo inside-$((6*7)) $SCUTE_ENV", literal: true);
        tui.Send("Enter");
        tui.WaitFor("inside-42 tui-shell");
        tui.Send("exit", literal: true);
        tui.Send("Enter");

        // The list comes back first and the status line is written after it: wait for both.
        var back = tui.WaitFor(
            x => x.Contains(Header, StringComparison.Ordinal) && x.Contains("left tui-shell", StringComparison.Ordinal),
            "the list again, with the shell's exit in the status line");
        Assert.Contains(env, back, StringComparison.Ordinal);
        tui.Send("q", literal: true);
        tui.WaitFor("PROGRAM-EXITED=0");
    }

    [SkippableFact]
    public void The_mouse_selects_a_row_and_clicks_an_action()
    {
        Skip.IfNot(TmuxScreen.Available, "needs tmux (scripts/test-packages.txt)");
        var s = new ScuteSession(TestUser.WithSubIds);
        s.Build(Manifests.Strict, "first.toml", name: "tui-first");
        s.Build(Manifests.WithImage("builtin:busybox"), "second.toml", name: "tui-second");
        using var tui = Start(s);
        var first = tui.WaitFor(x => x.Contains("name     tui-", StringComparison.Ordinal), "the pane of the selected environment");
        var other = first.Contains("name     tui-first", StringComparison.Ordinal) ? "tui-second" : "tui-first";

        tui.Click(other + " ");
        tui.WaitFor($"name     {other}");
        tui.Click("d destroy");
        tui.WaitFor($"Destroy {other}");
        tui.Click("No");
        tui.WaitFor("not done");

        Assert.Contains(other, s.Scute("list").Stdout, StringComparison.Ordinal);
        tui.Send("q", literal: true);
        tui.WaitFor("PROGRAM-EXITED=0");
    }

    [SkippableFact]
    public void Other_commands_do_not_start_Terminal_Gui()
    {
        // NativeAOT runs every module initializer at start-up; Terminal.Gui's reads ~/.tui/config.json.
        // It lives in scute-tui; this fails if it comes back into scute without being kept out of start-up.
        Skip.IfNot(File.Exists("/usr/bin/strace"), "needs strace (scripts/test-packages.txt)");
        var s = new ScuteSession(TestUser.WithSubIds);
        var trace = Path.Combine(s.Root, "trace");

        foreach (var args in (string[][])[["--version"], ["list"]])
        {
            var r = s.User.RunAs(["strace", "-f", "-e", "trace=file", "-o", trace, ScuteBinary.Path, .. args], s.Project, new Dictionary<string, string> { ["SCUTE_STORE"] = s.Store });
            Assert.True(r.ExitCode == 0, r.ToString());
            var files = File.ReadAllText(trace);
            Assert.Contains("/proc/self/mountinfo", files, StringComparison.Ordinal); // the trace saw the runtime start
            Assert.DoesNotContain("/.tui/", files, StringComparison.Ordinal);
        }
    }

    [SkippableFact]
    public void Without_scute_tui_beside_it_scute_tui_is_one_line_and_exit_1()
    {
        Skip.IfNot(TmuxScreen.Available, "needs tmux (scripts/test-packages.txt)");
        var s = new ScuteSession(TestUser.WithSubIds);
        var alone = Path.Combine(s.Root, "alone");
        s.User.RunAs(["mkdir", "-p", alone]);
        s.User.RunAs(["cp", ScuteBinary.Path, Path.Combine(alone, "scute")]);

        using var screen = new TmuxScreen(s.User, s.Project, new Dictionary<string, string>(s.Environment) { ["SCUTE_STORE"] = s.Store },
            $"{Path.Combine(alone, "scute")} tui; echo exit=$?; sleep 30");
        var shown = screen.WaitFor("exit=");

        Assert.Contains($"scute: scute tui needs {Path.Combine(alone, "scute-tui")}", shown, StringComparison.Ordinal);
        Assert.Contains("exit=1", shown, StringComparison.Ordinal);
    }

    private static TmuxScreen Start(ScuteSession s) =>
        new(s.User, s.Project, new Dictionary<string, string>(s.Environment) { ["SCUTE_STORE"] = s.Store }, $"{ScuteBinary.Path} tui");
}
