using System.Text.RegularExpressions;

namespace Scute.Cli.Tests;

/// <summary>scute man-pages: one page per command, and every page agrees with --help.</summary>
public sealed partial class ManPagesTests : IDisposable
{
    private readonly TempDir temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void There_is_a_page_for_scute_each_command_of_help_and_both_files()
    {
        var r = CliRun.Run("man-pages", temp.Path);

        Assert.Equal(0, r.Code);
        var expected = Commands().Select(c => $"scute-{c}.1").Append("scute.1").Append("scute.toml.5").Append("scute-policy.toml.5").Order(StringComparer.Ordinal);
        Assert.Equal(expected, Directory.GetFiles(temp.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(Directory.GetFiles(temp.Path).Order(StringComparer.Ordinal), r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_option_of_every_help_is_on_its_page_with_the_same_value_name_and_description()
    {
        CliRun.Run("man-pages", temp.Path);

        foreach (var command in Commands().Prepend(string.Empty))
        {
            var help = command.Length == 0 ? CliRun.Run("--help") : CliRun.Run(command, "--help");
            var page = File.ReadAllText(temp.Combine(command.Length == 0 ? "scute.1" : $"scute-{command}.1"));

            var inHelp = HelpOptions(help.Out);
            var onPage = PageOptions(page);

            Assert.Equal([], inHelp.Except(onPage).Select(o => $"{command}: {o}"));
            Assert.Equal([], onPage.Except(inHelp).Select(o => $"{command}: {o}"));
        }
    }

    [Fact]
    public void A_command_page_carries_its_section_of_docs_cli_md()
    {
        CliRun.Run("man-pages", temp.Path);

        var page = Plain(File.ReadAllText(temp.Combine("scute-exec.1")));

        Assert.Contains(".SH ARGUMENTS", page, StringComparison.Ordinal);
        Assert.Contains("The hostname is the environment's name", page, StringComparison.Ordinal);
        Assert.Contains("SCUTE_ENV", page, StringComparison.Ordinal);
    }

    [Fact]
    public void The_file_pages_come_from_the_manifest_reference_and_the_host_policy()
    {
        CliRun.Run("man-pages", temp.Path);

        var manifest = Plain(File.ReadAllText(temp.Combine("scute.toml.5")));
        var policy = Plain(File.ReadAllText(temp.Combine("scute-policy.toml.5")));

        Assert.StartsWith(".\\\"", manifest, StringComparison.Ordinal);
        Assert.Contains(".TH \"SCUTE.TOML\" 5", manifest, StringComparison.Ordinal);
        Assert.Contains("manifest_version", manifest, StringComparison.Ordinal);
        Assert.Contains("network_isolation", manifest, StringComparison.Ordinal);
        Assert.Contains(".TH \"SCUTE-POLICY.TOML\" 5", policy, StringComparison.Ordinal);
        Assert.Contains("allowed_prefixes", policy, StringComparison.Ordinal);
        Assert.Contains("may only tighten it", policy, StringComparison.Ordinal);
    }

    private static List<string> Commands()
    {
        var help = CliRun.Run("--help").Out;
        return [.. CommandLine().Matches(help[help.IndexOf("Commands:", StringComparison.Ordinal)..]).Select(m => m.Groups[1].Value)];
    }

    // "  -w, --workdir <workdir>  Working folder ..." → "-w, --workdir workdir | Working folder ..."
    private static SortedSet<string> HelpOptions(string help)
    {
        var section = help[(help.IndexOf("Options:", StringComparison.Ordinal) + 8)..];
        var end = section.IndexOf("\n\n", StringComparison.Ordinal);
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var line in (end < 0 ? section : section[..end]).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = TwoSpaces().Split(line.Trim(), 2);
            var tag = parts[0].Replace("-?, ", string.Empty, StringComparison.Ordinal).Replace("<", string.Empty, StringComparison.Ordinal).Replace(">", string.Empty, StringComparison.Ordinal);
            found.Add($"{tag} | {(parts.Length > 1 ? parts[1].Trim() : string.Empty)}");
        }

        return found;
    }

    // Each ".TP" whose tag starts with an option name, with the line after the tag.
    private static SortedSet<string> PageOptions(string page)
    {
        var lines = Plain(page).Split('\n');
        var found = new SortedSet<string>(StringComparer.Ordinal);
        for (var i = 0; i + 2 < lines.Length; i++)
        {
            if (lines[i] == ".TP" && lines[i + 1].StartsWith('-'))
            {
                found.Add($"{lines[i + 1]} | {lines[i + 2]}");
            }
        }

        return found;
    }

    private static string Plain(string roff) =>
        Fonts().Replace(roff, string.Empty).Replace("\\-", "-", StringComparison.Ordinal).Replace("\\&", string.Empty, StringComparison.Ordinal).Replace("\\e", "\\", StringComparison.Ordinal);

    [GeneratedRegex(@"(?m)^  ([a-z][a-z-]+)[ <]")]
    private static partial Regex CommandLine();

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex TwoSpaces();

    [GeneratedRegex(@"\\f[BIR]")]
    private static partial Regex Fonts();
}
