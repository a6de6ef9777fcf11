namespace Scute.Cli.Tests;

/// <summary>A line that names a command is parsed by a root holding only that command: nothing the user sees may differ.</summary>
public sealed class CommandSubsetTests
{
    [Theory]
    [InlineData(new[] { "exec", "q", "--", "true" }, "exec")]
    [InlineData(new[] { "--store", "exec", "list" }, "list")] // "exec" is --store's value here
    [InlineData(new[] { "--json", "-v", "--lock-timeout", "3", "inspect", "q" }, "inspect")]
    [InlineData(new[] { "--store=/s", "enter", "q" }, "enter")]
    [InlineData(new[] { "completions", "bash" }, null)] // made from the whole tree
    [InlineData(new[] { "man-pages", "/tmp/x" }, null)]
    [InlineData(new[] { "--version" }, null)]
    [InlineData(new[] { "--help" }, null)]
    [InlineData(new[] { "exce", "q" }, null)] // misspelt: the whole tree, whose error lists the commands
    [InlineData(new string[0], null)]
    public void The_named_command_is_found_past_global_options(string[] args, string? expected) =>
        Assert.Equal(expected, Program.CommandNamed(args));

    [Fact]
    public void Every_command_helps_and_fails_the_same_with_the_whole_tree_or_alone()
    {
        var names = Program.CreateRoot().Subcommands.Select(c => c.Name).ToList();
        Assert.Contains("exec", names);
        foreach (var name in names)
        {
            foreach (string[] args in new[] { new[] { name, "--help" }, new[] { name, "-h" } })
            {
                var alone = CliRun.Run(args);
                var whole = RunWithWholeTree(args);
                Assert.Equal(whole.Code, alone.Code);
                Assert.Equal(whole.Out, alone.Out);
                Assert.Equal(whole.Err, alone.Err);
            }
        }
    }

    [Fact]
    public void A_parse_error_reads_the_same_with_the_whole_tree_or_alone()
    {
        foreach (string[] args in new[] { new[] { "exec", "--no-such-option" }, new[] { "exec" }, new[] { "enter" }, new[] { "--json", "inspect" } })
        {
            var alone = CliRun.Run(args);
            var whole = RunWithWholeTree(args);
            Assert.NotEqual(0, alone.Code);
            Assert.Equal(whole.Code, alone.Code);
            Assert.Equal(whole.Err, alone.Err);
        }
    }

    private static CliResult RunWithWholeTree(string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = Program.Run(args, stdout, stderr, Program.CreateRoot());
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }
}
