using System.Text;

namespace Scute.Cli.Output;

/// <summary>A plain left-aligned table for terminals and pipes alike.</summary>
public static class TextTable
{
    /// <summary>
    /// Each row's cells two spaces apart, every column but the last padded to its widest cell,
    /// trailing white space cut; the whole table goes out in one write (see <see cref="WholeText"/>).
    /// </summary>
    public static void Write(TextWriter writer, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(rows);
        var all = new List<IReadOnlyList<string>> { headers };
        all.AddRange(rows);
        var widths = new int[headers.Count];
        var length = 0;
        foreach (var row in all)
        {
            for (var i = 0; i < widths.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        foreach (var w in widths)
        {
            length += w + 2;
        }

        var text = new StringBuilder(all.Count * (length + writer.NewLine.Length));
        foreach (var row in all)
        {
            var start = text.Length;
            for (var i = 0; i < row.Count; i++)
            {
                if (i > 0)
                {
                    text.Append("  ");
                }

                text.Append(row[i]);
                if (i < row.Count - 1 && widths[i] > row[i].Length)
                {
                    text.Append(' ', widths[i] - row[i].Length);
                }
            }

            while (text.Length > start && char.IsWhiteSpace(text[^1]))
            {
                text.Length--;
            }

            text.Append(writer.NewLine);
        }

        WholeText.Write(writer, text.ToString());
    }
}
