namespace Scute.Cli.Tests.Tui;

public sealed class TuiCommandTests
{
    [SkippableFact]
    public void Without_a_terminal_tui_says_so_in_one_line_and_exits_1()
    {
        Skip.IfNot(Console.IsInputRedirected || Console.IsOutputRedirected, "the test runner has a terminal");
        using var temp = new TempDir();

        var r = CliRun.Run("tui", "--store", temp.Store);

        Assert.Equal(1, r.Code);
        Assert.Equal(["scute: scute tui needs a terminal on stdin and stdout"], r.ErrLines);
        Assert.Empty(r.Out);
    }
}
