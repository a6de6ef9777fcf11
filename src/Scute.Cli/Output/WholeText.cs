namespace Scute.Cli.Output;

/// <summary>
/// Writes a command's finished output at once. Console.Out flushes every line (a write(2) each:
/// 500 for a list of 500 environments); text bound for the process's own stdout goes out as one
/// write of its bytes instead. Any other writer (a test's) gets the text as it is.
/// </summary>
public static class WholeText
{
    public static void Write(TextWriter writer, string text)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(text);
        if (!ReferenceEquals(writer, Console.Out))
        {
            writer.Write(text);
            return;
        }

        // Whatever was written before goes first.
        writer.Flush();
        using var stdout = Console.OpenStandardOutput();
        stdout.Write(Console.OutputEncoding.GetBytes(text));
    }
}
