using System.Text.RegularExpressions;

namespace Scute.Cli.Manual;

/// <summary>The pages of docs/ built into the binary (Scute.Cli.csproj embeds them), and sections of them.</summary>
public static partial class EmbeddedDocs
{
    public static string Read(string name)
    {
        using var stream = typeof(EmbeddedDocs).Assembly.GetManifestResourceStream("docs/" + name)
            ?? throw new InvalidOperationException($"docs/{name} is not embedded in this build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// The body of the first section whose heading matches <paramref name="heading"/>, up to the next
    /// heading of the same or a higher level; empty when there is none.
    /// </summary>
    public static string Section(string markdown, Regex heading)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        ArgumentNullException.ThrowIfNull(heading);
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        var fenced = false;
        var level = 0;
        var body = new List<string>();
        foreach (var line in lines)
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
            }

            var h = fenced ? Match.Empty : HeadingLine().Match(line);
            if (level == 0)
            {
                if (h.Success && heading.IsMatch(h.Groups[2].Value))
                {
                    level = h.Groups[1].Value.Length;
                }

                continue;
            }

            if (h.Success && h.Groups[1].Value.Length <= level)
            {
                break;
            }

            body.Add(line);
        }

        return string.Join('\n', body).Trim();
    }

    [GeneratedRegex(@"^(#{1,6})\s+(.*)$")]
    private static partial Regex HeadingLine();
}
