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

public class ListMinuteTests
{
    public static TheoryData<DateTimeOffset> Times() =>
    [
        new DateTimeOffset(2026, 12, 2, 0, 17, 29, TimeSpan.Zero),
        new DateTimeOffset(5, 1, 9, 23, 59, 59, TimeSpan.FromHours(-7)),
        new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.FromMinutes(14 * 60)),
        new DateTimeOffset(1999, 10, 10, 10, 10, 0, TimeSpan.FromMinutes(-570)),
        DateTimeOffset.MinValue,
    ];

    [Theory]
    [MemberData(nameof(Times))]
    public void The_created_column_is_the_minute_in_the_times_own_offset(DateTimeOffset t) =>
        Assert.Equal(t.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), Scute.Cli.Commands.ListCommand.Minute(t));

    [FsCheck.Xunit.Property]
    public bool Any_time_formats_as_the_format_string_does(long ticks, short minutes)
    {
        var day = TimeSpan.TicksPerDay;
        var t = new DateTimeOffset(day + unchecked((long)((ulong)ticks % (ulong)(DateTime.MaxValue.Ticks - (2 * day)))), TimeSpan.FromMinutes(minutes % (14 * 60)));
        return Scute.Cli.Commands.ListCommand.Minute(t) == t.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
    }
}
