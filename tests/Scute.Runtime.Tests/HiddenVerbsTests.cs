namespace Scute.Runtime.Tests;

/// <summary>The one dispatcher of scute's hidden verbs, which Main calls before its parser.</summary>
public sealed class HiddenVerbsTests
{
    [Theory]
    [InlineData("")]
    [InlineData("exec env -- true")]
    [InlineData("__init")]
    [InlineData("__remove-tree a b")]
    [InlineData("__remove-trash")]
    [InlineData("__podman-guard 3")]
    public void An_ordinary_or_malformed_command_line_goes_on_to_the_parser(string line)
    {
        var args = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

        Assert.Null(HiddenVerbs.Dispatch(args, (_, _) => throw new InvalidOperationException("not a hidden verb"), (_, _) => throw new InvalidOperationException("not a hidden verb")));
    }

    [Fact]
    public void Tree_removal_is_handed_to_the_caller_with_its_path()
    {
        string? removed = null;

        var code = HiddenVerbs.Dispatch([HiddenVerbs.RemoveTree, "/some/tree"], (path, _) =>
        {
            removed = path;
            return 7;
        }, (_, _) => throw new InvalidOperationException("not the trash removal"));

        Assert.Equal(7, code);
        Assert.Equal("/some/tree", removed);
    }

    [Fact]
    public void Trash_removal_is_handed_to_the_caller_with_its_entry()
    {
        string? removed = null;

        var code = HiddenVerbs.Dispatch([HiddenVerbs.RemoveTrash, "/store/trash/x"], (_, _) => throw new InvalidOperationException("not the tree removal"), (path, _) =>
        {
            removed = path;
            return 5;
        });

        Assert.Equal(5, code);
        Assert.Equal("/store/trash/x", removed);
    }

    [Fact]
    public void A_stage_is_this_program_started_again_with_its_verb()
    {
        var argv = HiddenVerbs.Argv(HiddenVerbs.Init);

        Assert.Equal(HiddenVerbs.Init, argv[^1]);
        Assert.All(new[] { HiddenVerbs.Init, HiddenVerbs.OciInit, HiddenVerbs.OciRun, HiddenVerbs.PodmanConfig, HiddenVerbs.PodmanGuard, HiddenVerbs.RemoveTree, HiddenVerbs.RemoveTrash },
            v => Assert.StartsWith("__", v, StringComparison.Ordinal));
    }
}
