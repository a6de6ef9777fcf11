using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace Scute.Cli.Manual;

/// <summary>
/// scute(1), scute-&lt;command&gt;(1), scute.toml(5) and scute-policy.toml(5): options and arguments from the
/// parser's definitions (what --help prints), prose from the docs embedded in the binary.
/// </summary>
public static class ManPages
{
    /// <summary>File name (e.g. scute-build.1) to page text.</summary>
    public static IReadOnlyDictionary<string, string> Make(CommandTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var cli = EmbeddedDocs.Read("cli.md");
        var pages = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["scute.1"] = Overview(tree, cli),
            ["scute.toml.5"] = Manifest(),
            ["scute-policy.toml.5"] = Policy(),
        };
        foreach (var command in tree.Commands)
        {
            pages[$"scute-{command.Name}.1"] = Command(tree, command, cli);
        }

        return pages;
    }

    private static string Overview(CommandTree tree, string cli)
    {
        var s = Header("SCUTE", 1, "scute", tree.Description);
        s.Append(".SH SYNOPSIS\n.B scute\n[\\fIglobal options\\fR] \\fIcommand\\fR [\\fIarguments\\fR]\n");
        s.Append(".SH DESCRIPTION\n").Append(Roff.Line(Roff.Inline(tree.Description))).Append(".\nEach command has a page of its own, ")
            .Append("\\fBscute\\-\\fR\\fIcommand\\fR(1); the manifest is described in \\fBscute.toml\\fR(5) and the host policy in \\fBscute\\-policy.toml\\fR(5).\n");
        s.Append(".SH COMMANDS\n");
        foreach (var c in tree.Commands)
        {
            s.Append(".TP\n.BR scute\\-").Append(Roff.Escape(c.Name)).Append(" (1)\n").Append(Roff.Line(Roff.Inline(c.Description))).Append('\n');
        }

        Options(s, "GLOBAL OPTIONS", tree.GlobalOptions);
        Section(s, "EXIT STATUS", cli, "^Exit codes$");
        Section(s, "ENVIRONMENT", cli, "^Environment variables$");
        s.Append(".SH SEE ALSO\n");
        s.Append(string.Join(",\n", tree.Commands.Select(c => $".BR scute\\-{Roff.Escape(c.Name)} (1)").Append(".BR scute.toml (5)").Append(".BR scute\\-policy.toml (5)")));
        s.Append('\n');
        return s.ToString();
    }

    private static string Command(CommandTree tree, TreeCommand c, string cli)
    {
        var s = Header($"SCUTE-{c.Name.ToUpperInvariant()}", 1, $"scute-{c.Name}", c.Description);
        s.Append(".SH SYNOPSIS\n\\fBscute ").Append(Roff.Escape(c.Name)).Append("\\fR");
        if (c.Options.Count > 0)
        {
            s.Append(" [\\fIoptions\\fR]");
        }

        foreach (var a in c.Arguments)
        {
            var word = $"\\fI{Roff.Escape(a.Name)}\\fR{(a.Many ? "..." : string.Empty)}";
            s.Append(' ').Append(a.Optional ? $"[{word}]" : word);
        }

        s.Append("\n.SH DESCRIPTION\n").Append(Roff.Line(Roff.Inline(c.Description))).Append(".\n");
        var prose = EmbeddedDocs.Section(cli, new Regex($"^`scute {Regex.Escape(c.Name)}[ `]", RegexOptions.CultureInvariant));
        if (prose.Length > 0)
        {
            s.Append(MarkdownToRoff.Convert(prose));
        }

        if (c.Arguments.Count > 0)
        {
            s.Append(".SH ARGUMENTS\n");
            foreach (var a in c.Arguments)
            {
                s.Append(".TP\n\\fI").Append(Roff.Escape(a.Name)).Append("\\fR\n").Append(Roff.Line(Roff.Inline(WithDefault(a.Description, a.Default)))).Append('\n');
            }
        }

        Options(s, "OPTIONS", c.Options);
        Options(s, "GLOBAL OPTIONS", [.. tree.GlobalOptions.Where(o => o.Recursive)]);
        s.Append(".SH SEE ALSO\n.BR scute (1)\n");
        return s.ToString();
    }

    private static string Manifest()
    {
        var s = Header("SCUTE.TOML", 5, "scute.toml", "the manifest of a Scute environment (also read as karapace.toml)");
        s.Append(".SH DESCRIPTION\n");
        s.Append(MarkdownToRoff.Convert(EmbeddedDocs.Read("manifest-reference.md")));
        s.Append(".SH SEE ALSO\n.BR scute (1),\n.BR scute\\-build (1),\n.BR scute\\-policy.toml (5)\n");
        return s.ToString();
    }

    private static string Policy()
    {
        var s = Header("SCUTE-POLICY.TOML", 5, "scute-policy.toml", "the host policy every Scute manifest is checked against");
        s.Append(".SH SYNOPSIS\n/etc/scute/policy.toml\n.br\n$XDG_CONFIG_HOME/scute/policy.toml (~/.config/scute/policy.toml)\n");
        s.Append(".SH DESCRIPTION\n");
        s.Append(MarkdownToRoff.Convert(EmbeddedDocs.Section(EmbeddedDocs.Read("security-model.md"), new Regex("^Host policy$", RegexOptions.CultureInvariant))));
        s.Append(".SH SEE ALSO\n.BR scute (1),\n.BR scute\\-policy (1),\n.BR scute.toml (5)\n");
        return s.ToString();
    }

    private static StringBuilder Header(string title, int section, string name, string summary)
    {
        var version = typeof(ManPages).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";
        var s = new StringBuilder();
        s.Append($".\\\" Generated by scute man-pages from the command definitions and docs/; do not edit.\n");
        s.Append($".TH \"{Roff.Escape(title)}\" {section} \"\" \"scute {Roff.Escape(version)}\" \"Scute Manual\"\n");
        // No hyphenation, ragged right: paths and option names stay whole.
        s.Append(".nh\n.ad l\n");
        s.Append(".SH NAME\n").Append(Roff.Escape(name)).Append(" \\- ").Append(Roff.Inline(summary)).Append('\n');
        return s;
    }

    private static void Options(StringBuilder s, string heading, IReadOnlyList<TreeOption> options)
    {
        if (options.Count == 0)
        {
            return;
        }

        s.Append(".SH ").Append(heading).Append('\n');
        foreach (var o in options)
        {
            // As --help shows them: short aliases first, then the name, then the value's name.
            var names = string.Join(", ", o.Aliases.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).Append(o.Name)
                .Concat(o.Aliases.Where(a => a.StartsWith("--", StringComparison.Ordinal))).Select(n => $"\\fB{Roff.Escape(n)}\\fR"));
            var value = o.TakesValue ? $" \\fI{Roff.Escape(o.HelpName ?? o.Name.TrimStart('-'))}\\fR" : string.Empty;
            s.Append(".TP\n").Append(names).Append(value).Append('\n').Append(Roff.Line(Roff.Inline(WithDefault(o.Description, o.Default)))).Append('\n');
        }
    }

    private static string WithDefault(string description, string? value) =>
        value is null ? description : $"{description} [default: {value}]";

    private static void Section(StringBuilder s, string heading, string markdown, string pattern)
    {
        var body = EmbeddedDocs.Section(markdown, new Regex(pattern, RegexOptions.CultureInvariant));
        if (body.Length > 0)
        {
            s.Append(".SH ").Append(heading).Append('\n').Append(MarkdownToRoff.Convert(body));
        }
    }
}
