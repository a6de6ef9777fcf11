using System.Text;

namespace Scute.Engine.Launchers;

/// <summary>
/// The Exec key's quoting (Desktop Entry Specification, "The Exec key"): an argument with a
/// reserved character goes in double quotes with ", `, $ and \ escaped inside, and the whole
/// value is then a string value, whose own escape doubles every backslash.
/// </summary>
public static class ExecLine
{
    private const string Reserved = " \t\n\"'\\><~|&;$*?#()`";

    public static string Quote(string argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        if (argument.Length > 0 && argument.IndexOfAny(Reserved.ToCharArray()) < 0 && !argument.Contains('%', StringComparison.Ordinal) && !argument.Contains('=', StringComparison.Ordinal))
        {
            return argument;
        }

        var s = new StringBuilder("\"");
        foreach (var c in argument)
        {
            if (c is '"' or '`' or '$' or '\\')
            {
                s.Append('\\');
            }

            // A literal percent sign is written %%.
            s.Append(c == '%' ? "%%" : c.ToString());
        }

        return s.Append('"').ToString();
    }

    /// <summary>The Exec value (string-escaped) that runs <paramref name="arguments"/>, each quoted.</summary>
    public static string Of(IEnumerable<string> arguments) => Escape(string.Join(' ', arguments.Select(Quote)));

    /// <summary>A string value's escape: a backslash is written as two.</summary>
    public static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal);
}
