using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Scute.Cli.Manual;

/// <summary>Text into roff for the man macros: escapes, and Markdown's inline marks as fonts.</summary>
public static partial class Roff
{
    /// <summary>Plain text: backslashes, hyphens (so options stay searchable and unbroken) and non-ASCII escaped.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = new StringBuilder(text.Length + 8);
        foreach (var rune in text.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '\\':
                    s.Append("\\e");
                    break;
                case '-':
                    s.Append("\\-");
                    break;
                case '\t':
                    s.Append(' ');
                    break;
                case < 32:
                    break;
                case < 128:
                    s.Append((char)rune.Value);
                    break;
                default:
                    // groff reads the page as Latin-1 unless told otherwise: name every other character by its code point.
                    s.Append(CultureInfo.InvariantCulture, $"\\[u{rune.Value:X4}]");
                    break;
            }
        }

        return s.ToString();
    }

    /// <summary>One line of Markdown text: `code` bold, **strong** bold, *emphasis* italic, links as their text.</summary>
    public static string Inline(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var s = new StringBuilder();
        var parts = markdown.Split('`');
        for (var i = 0; i < parts.Length; i++)
        {
            // An odd part is inside backticks (an unpaired last backtick is kept as text).
            if (i % 2 == 1 && i < parts.Length - 1)
            {
                s.Append("\\fB").Append(Escape(parts[i])).Append("\\fR");
                continue;
            }

            var text = (i % 2 == 1 ? "`" : string.Empty) + parts[i];
            text = Link().Replace(text, m => m.Groups[2].Value.StartsWith("http", StringComparison.Ordinal)
                ? $"{m.Groups[1].Value} <{m.Groups[2].Value}>"
                : m.Groups[1].Value);
            var escaped = Escape(text.Replace("\\|", "|", StringComparison.Ordinal));
            escaped = Strong().Replace(escaped, "\\fB$1\\fR");
            escaped = Emphasis().Replace(escaped, "\\fI$1\\fR");
            s.Append(escaped);
        }

        return s.ToString();
    }

    /// <summary>A line of text that roff must not take for a request (a leading '.' or ').</summary>
    public static string Line(string escaped)
    {
        ArgumentNullException.ThrowIfNull(escaped);
        return escaped.StartsWith('.') || escaped.StartsWith('\'') ? "\\&" + escaped : escaped;
    }

    [GeneratedRegex(@"\[([^\]]+)\]\(([^)\s]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"\*\*(.+?)\*\*")]
    private static partial Regex Strong();

    [GeneratedRegex(@"(?<![\w*])\*(?!\s)([^*]+?)\*(?![\w*])")]
    private static partial Regex Emphasis();
}
