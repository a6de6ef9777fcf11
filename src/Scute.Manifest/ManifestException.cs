using System.Text;

namespace Scute.Manifest;

/// <summary>
/// Bad manifest or lock input. The CLI turns it into exit code 2 and prints <see cref="Exception.Message"/>,
/// so the message is always a single line that names the file, the line, the key and what is accepted.
/// </summary>
public sealed class ManifestException : Exception
{
    public ManifestException(string filePath, int? line, string? key, string problem, string accepted, Exception? innerException = null)
        : base(Format(filePath, line, key, problem, accepted), innerException)
    {
        FilePath = filePath;
        Line = line;
        Key = key;
        Problem = problem;
        Accepted = accepted;
    }

    public string FilePath { get; }

    /// <summary>1-based line, when the problem has one.</summary>
    public int? Line { get; }

    /// <summary>Dotted key such as <c>runtime.backend</c>, when the problem has one.</summary>
    public string? Key { get; }

    /// <summary>What was wrong, without file, line or key.</summary>
    public string Problem { get; }

    /// <summary>What would have been accepted; empty when there is nothing useful to say.</summary>
    public string Accepted { get; }

    private static string Format(string filePath, int? line, string? key, string problem, string accepted)
    {
        var sb = new StringBuilder();
        if (!string.IsNullOrEmpty(filePath))
        {
            sb.Append(filePath);
            if (line is { } l)
            {
                sb.Append(':').Append(l);
            }

            sb.Append(": ");
        }

        if (!string.IsNullOrEmpty(key))
        {
            sb.Append(key).Append(": ");
        }

        sb.Append(problem);
        if (!string.IsNullOrEmpty(accepted))
        {
            sb.Append(" (accepted: ").Append(accepted).Append(')');
        }

        return OneLine(sb.ToString());
    }

    // Keys, paths and values come from hostile input: a newline or escape sequence in them must not
    // break the one-line contract or reach the terminal raw.
    private static string OneLine(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            // Format characters (U+202E right-to-left override, zero-width joiners...) can disguise a key on a terminal.
            if (char.IsControl(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format)
            {
                sb.Append(c switch
                {
                    '\n' => "\\n",
                    '\r' => "\\r",
                    '\t' => "\\t",
                    _ => $"\\u{(int)c:x4}",
                });
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
