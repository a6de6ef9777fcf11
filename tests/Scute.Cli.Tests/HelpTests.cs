namespace Scute.Cli.Tests;

public sealed class HelpTests
{
    [Fact]
    public void Help_lists_every_command()
    {
        var r = CliRun.Run("--help");

        Assert.Equal(0, r.Code);
        foreach (var command in new[] { "new", "build", "list", "inspect", "exec", "enter", "destroy", "doctor" })
        {
            Assert.Matches($"(?m)^\\s+{command}\\b", r.Out);
        }

        Assert.DoesNotContain("__init", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_lists_the_global_options()
    {
        var r = CliRun.Run("--help");

        foreach (var option in new[] { "--store", "--json", "--verbose", "--trace", "--lock-timeout" })
        {
            Assert.Contains(option, r.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Unknown_command_fails()
    {
        var r = CliRun.Run("teleport");

        Assert.NotEqual(0, r.Code);
        Assert.NotEmpty(r.Err);
    }
}
