using Scute.Cli.Output;

namespace Scute.Cli.Tests;

public class TextTableTests
{
    [Fact]
    public void Columns_are_padded_to_their_widest_cell_and_lines_end_without_spaces()
    {
        using var writer = new StringWriter { NewLine = "\n" };

        TextTable.Write(writer, ["A", "LONG_HEADER", "Z"], [["wide cell", "x", ""], ["", "", "last "], ["é", "mid", "end"]]);

        Assert.Equal(
            "A          LONG_HEADER  Z\n"
            + "wide cell  x\n"
            + "                        last\n"
            + "é          mid          end\n",
            writer.ToString());
    }

    [Fact]
    public void A_header_alone_is_one_line()
    {
        using var writer = new StringWriter { NewLine = "\r\n" };

        TextTable.Write(writer, ["ONE", "TWO"], []);

        Assert.Equal("ONE  TWO\r\n", writer.ToString());
    }
}
