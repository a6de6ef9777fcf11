using Scute.Cli.Output;

namespace Scute.Cli.Tests;

/// <summary>exec's console writers: nothing is made until something is written, then everything goes to the real writer.</summary>
public sealed class LazyConsoleWriterTests
{
    [Fact]
    public void The_writer_is_made_at_the_first_write_only_and_gets_everything()
    {
        var made = 0;
        var real = new StringWriter();
        var lazy = new LazyConsoleWriter(() =>
        {
            made++;
            return real;
        });

        lazy.Flush();
        Assert.Equal(0, made);

        lazy.Write('a');
        lazy.Write("b");
        lazy.Write(42);
        lazy.WriteLine($"c{1}");
        lazy.WriteLine();
        lazy.Write("xy".AsSpan());
        lazy.Flush();

        Assert.Equal(1, made);
        Assert.Equal("ab42c1\n\nxy", real.ToString());
        Assert.Equal(real.Encoding, lazy.Encoding);
    }
}
