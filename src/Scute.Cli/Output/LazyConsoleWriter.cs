using System.Text;

namespace Scute.Cli.Output;

/// <summary>
/// Console.Out or Console.Error, made on first use: exec and enter write nothing of their own
/// when all goes well (the command writes to the inherited descriptors), and making a console
/// writer costs a look-up of the console's encoding at every start.
/// </summary>
public sealed class LazyConsoleWriter(Func<TextWriter> open) : TextWriter
{
    private TextWriter? inner;

    private TextWriter Inner => inner ??= open();

    public override Encoding Encoding => Inner.Encoding;

    public override IFormatProvider FormatProvider => Inner.FormatProvider;

    [System.Diagnostics.CodeAnalysis.AllowNull]
    public override string NewLine
    {
        get => Inner.NewLine;
        set => Inner.NewLine = value;
    }

    public override void Write(char value) => Inner.Write(value);

    public override void Write(string? value) => Inner.Write(value);

    public override void Write(char[] buffer, int index, int count) => Inner.Write(buffer, index, count);

    public override void Write(ReadOnlySpan<char> buffer) => Inner.Write(buffer);

    public override void WriteLine() => Inner.WriteLine();

    public override void WriteLine(string? value) => Inner.WriteLine(value);

    public override void WriteLine(ReadOnlySpan<char> buffer) => Inner.WriteLine(buffer);

    public override void Flush() => inner?.Flush();
}
