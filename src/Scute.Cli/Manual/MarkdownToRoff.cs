using System.Text;
using System.Text.RegularExpressions;

namespace Scute.Cli.Manual;

/// <summary>
/// The Markdown of docs/ as man-macro roff: headings, paragraphs, lists, fenced code and tables
/// (as tagged paragraphs, so the page needs no tbl). Just what the docs use.
/// </summary>
public static partial class MarkdownToRoff
{
    /// <summary>Converts <paramref name="markdown"/>; its headings of level 1 are dropped (the page has its own title).</summary>
    public static string Convert(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        var s = new StringBuilder();
        var paragraph = new List<string>();
        var i = 0;

        void Flush(string request)
        {
            if (paragraph.Count == 0)
            {
                return;
            }

            s.Append(request).Append('\n');
            foreach (var p in paragraph)
            {
                s.Append(Roff.Line(Roff.Inline(p.Trim()))).Append('\n');
            }

            paragraph.Clear();
        }

        while (i < lines.Length)
        {
            var line = lines[i];
            var trimmed = line.TrimStart();
            if (trimmed.StartsWith("```", StringComparison.Ordinal))
            {
                Flush(".PP");
                s.Append(".PP\n.RS 4\n.nf\n");
                for (i++; i < lines.Length && !lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal); i++)
                {
                    s.Append(Roff.Line(Roff.Escape(lines[i]))).Append('\n');
                }

                s.Append(".fi\n.RE\n");
                i++;
                continue;
            }

            if (Heading().Match(line) is { Success: true } h)
            {
                Flush(".PP");
                var level = h.Groups[1].Value.Length;
                var title = Roff.Inline(h.Groups[2].Value.Trim());
                if (level == 2)
                {
                    s.Append(".SH ").Append(h.Groups[2].Value.Contains('`', StringComparison.Ordinal) ? title : title.ToUpperInvariant()).Append('\n');
                }
                else if (level > 2)
                {
                    s.Append(".SS ").Append(title).Append('\n');
                }

                i++;
                continue;
            }

            if (trimmed.StartsWith('|'))
            {
                Flush(".PP");
                var rows = new List<string[]>();
                for (; i < lines.Length && lines[i].TrimStart().StartsWith('|'); i++)
                {
                    rows.Add(Cells(lines[i]));
                }

                Table(s, rows);
                continue;
            }

            if (Item().Match(line) is { Success: true } item)
            {
                Flush(".PP");
                var tag = item.Groups[1].Value is "-" or "*" ? "\\(bu 2" : item.Groups[1].Value + " 4";
                paragraph.Add(item.Groups[2].Value);
                for (i++; i < lines.Length && lines[i].StartsWith(' ') && lines[i].Trim().Length > 0 && !Item().IsMatch(lines[i]); i++)
                {
                    paragraph.Add(lines[i]);
                }

                Flush(".IP " + tag);
                continue;
            }

            if (trimmed.Length == 0)
            {
                Flush(".PP");
            }
            else if (!trimmed.StartsWith("<!--", StringComparison.Ordinal))
            {
                paragraph.Add(line);
            }

            i++;
        }

        Flush(".PP");
        return s.ToString();
    }

    // Each row after the header and separator becomes a tagged paragraph: the first cell is the tag,
    // the others follow as "header: cell" (or alone, in a two-column table).
    private static void Table(StringBuilder s, List<string[]> rows)
    {
        if (rows.Count < 2)
        {
            return;
        }

        var header = rows[0];
        foreach (var row in rows.Skip(2))
        {
            s.Append(".TP\n").Append(Roff.Line(Roff.Inline(row[0]))).Append('\n');
            var rest = row.Skip(1).Select((cell, k) => (cell, head: k + 1 < header.Length ? header[k + 1] : string.Empty))
                .Where(x => x.cell.Length > 0)
                .Select(x => header.Length == 2 || x.head.Length == 0 ? x.cell : $"{x.head}: {x.cell}");
            s.Append(Roff.Line(Roff.Inline(string.Join("; ", rest)))).Append('\n');
        }
    }

    // Splits a table row at the pipes that are neither escaped nor inside backticks.
    private static string[] Cells(string row)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var code = false;
        var text = row.Trim();
        for (var k = 0; k < text.Length; k++)
        {
            var c = text[k];
            if (c == '\\' && k + 1 < text.Length && text[k + 1] == '|')
            {
                cell.Append('|');
                k++;
            }
            else if (c == '`')
            {
                code = !code;
                cell.Append(c);
            }
            else if (c == '|' && !code)
            {
                cells.Add(cell.ToString().Trim());
                cell.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }

        cells.Add(cell.ToString().Trim());
        // The row's leading and trailing pipes leave an empty first and last cell.
        return [.. cells.Skip(1).Take(Math.Max(0, cells.Count - 2))];
    }

    [GeneratedRegex(@"^(#{1,6})\s+(.*)$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^\s*([-*]|\d+\.)\s+(.*)$")]
    private static partial Regex Item();
}
