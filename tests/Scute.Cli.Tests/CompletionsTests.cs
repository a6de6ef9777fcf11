using Scute.Cli.Commands;
using Scute.Store;

namespace Scute.Cli.Tests;

/// <summary>scute completions and the environment list its scripts call.</summary>
public sealed class CompletionsTests : IDisposable
{
    private readonly TempDir temp = new();

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData("bash", "complete -F _scute scute")]
    [InlineData("zsh", "#compdef scute")]
    [InlineData("fish", "complete -c scute")]
    public void Each_script_offers_every_command_of_help(string shell, string marker)
    {
        var help = CliRun.Run("--help");
        var r = CliRun.Run("completions", shell);

        Assert.Equal(0, r.Code);
        Assert.Contains(marker, r.Out, StringComparison.Ordinal);
        var commands = System.Text.RegularExpressions.Regex.Matches(help.Out[help.Out.IndexOf("Commands:", StringComparison.Ordinal)..], @"(?m)^  ([a-z][a-z-]+)[ <]").Select(m => m.Groups[1].Value).ToList();
        Assert.Contains("exec", commands);
        Assert.Contains("completions", commands);
        foreach (var command in commands)
        {
            Assert.Contains(command, r.Out, StringComparison.Ordinal);
        }

        Assert.Contains(CompletionsCommand.EnvsVerb, r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_shell_is_refused()
    {
        var r = CliRun.Run("completions", "powershell");

        Assert.NotEqual(0, r.Code);
        Assert.Contains("powershell", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Environments_are_listed_while_another_process_holds_the_store_lock_and_without_checking_checksums()
    {
        var store = ScuteStore.OpenOrCreate(temp.Store);
        store.Metadata.Put(Metadata(new string('a', 64), "web"));
        store.Metadata.Put(Metadata(new string('b', 64), null));
        var damaged = store.Layout.MetadataPath(new string('b', 64));
        File.WriteAllText(damaged, File.ReadAllText(damaged).Replace("\"built\"", "\"frozen\"", StringComparison.Ordinal));
        using var held = store.LockForChange();

        using var output = new StringWriter();
        var listing = Task.Run(() => CompletionsCommand.ListEnvironments(temp.Store, output));

        var first = await Task.WhenAny(listing, Task.Delay(TimeSpan.FromSeconds(10)));

        Assert.True(first == listing, "the completion list waited for the store lock");
        Assert.Equal(["aaaaaaaaaaaa", "bbbbbbbbbbbb", "web"], output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void A_name_a_shell_would_expand_is_never_offered()
    {
        var store = ScuteStore.OpenOrCreate(temp.Store);
        store.Metadata.Put(Metadata(new string('c', 64), "$(touch x)"));

        using var output = new StringWriter();
        CompletionsCommand.ListEnvironments(temp.Store, output);

        Assert.Equal("cccccccccccc", output.ToString().Trim());
    }

    [Fact]
    public void No_store_lists_nothing()
    {
        using var output = new StringWriter();

        Assert.Equal(0, CompletionsCommand.ListEnvironments(temp.Combine("nowhere"), output));
        Assert.Empty(output.ToString());
    }

    private static EnvironmentMetadata Metadata(string envId, string? name) => new()
    {
        EnvId = envId,
        ShortId = envId[..12],
        Name = name,
        State = EnvState.Built,
        ManifestPath = "/p/scute.toml",
        BaseReference = "builtin:busybox",
        BaseDigest = Digest.Compute("base"u8),
        ImageKey = "k",
        Backend = "mock",
        ManifestJson = "{}",
        SecurityJson = "{}",
        CreatedAt = DateTimeOffset.UnixEpoch,
    };
}
