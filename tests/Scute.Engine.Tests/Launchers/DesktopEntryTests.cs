using System.Text;
using FsCheck;
using FsCheck.Xunit;
using Scute.Engine.Launchers;

namespace Scute.Engine.Tests.Launchers;

public sealed class DesktopEntryTests
{
    private const string Sample = """
        # made by the package
        [Desktop Entry]
        Type=Application
        Name=Viewer
        Name[de]=Betrachter
        Exec=viewer %U
        MimeType=image/png;

        [Desktop Action new]
        Name=New
        Exec=viewer --new
        """;

    [Fact]
    public void What_is_not_edited_is_kept_as_written_and_edits_land_in_their_group()
    {
        var e = DesktopEntry.Parse(Sample);
        e.Set(DesktopEntry.MainGroup, "Exec", "other");
        e.Set(DesktopEntry.MainGroup, "X-Scute-EnvId", "abc");
        e.Remove(DesktopEntry.MainGroup, "MimeType");
        var text = e.ToString();

        Assert.StartsWith("# made by the package\n[Desktop Entry]\n", text, StringComparison.Ordinal);
        Assert.Contains("Exec=other\nX-Scute-EnvId=abc\n\n[Desktop Action new]", text, StringComparison.Ordinal);
        Assert.Contains("Exec=viewer --new", text, StringComparison.Ordinal);
        Assert.DoesNotContain("MimeType", text, StringComparison.Ordinal);
        Assert.Equal(["Desktop Entry", "Desktop Action new"], e.Groups);
        Assert.Equal(["Name", "Name[de]"], e.KeysLike(DesktopEntry.MainGroup, "Name"));
        Assert.Equal("viewer --new", e.Get("Desktop Action new", "Exec"));
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("/usr/bin/scute", "/usr/bin/scute")]
    [InlineData("two words", "\"two words\"")]
    [InlineData("say \"hi\" $HOME `x` \\", "\"say \\\"hi\\\" \\$HOME \\`x\\` \\\\\"")]
    [InlineData("100%", "\"100%%\"")]
    [InlineData("", "\"\"")]
    public void Arguments_are_quoted_as_the_exec_key_wants(string argument, string quoted) =>
        Assert.Equal(quoted, ExecLine.Quote(argument));

    [Fact]
    public void The_exec_value_doubles_backslashes_as_a_string_value()
    {
        Assert.Equal("a \"b\\\\\\\\c\"", ExecLine.Of(["a", "b\\c"]));
    }

    /// <summary>What a launcher does with an Exec value: undo the string escape, then split and unquote the arguments.</summary>
    private static List<string> Parse(string value)
    {
        var unescaped = new StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            unescaped.Append(value[i] == '\\' && i + 1 < value.Length ? value[++i] : value[i]);
        }

        var args = new List<string>();
        var s = unescaped.ToString();
        var i2 = 0;
        while (i2 < s.Length)
        {
            if (s[i2] == ' ')
            {
                i2++;
                continue;
            }

            var arg = new StringBuilder();
            if (s[i2] == '"')
            {
                i2++;
                while (s[i2] != '"')
                {
                    if (s[i2] == '\\')
                    {
                        i2++;
                    }

                    arg.Append(s[i2] == '%' && s[i2 + 1] == '%' ? s[i2++] : s[i2]);
                    i2++;
                }

                i2++;
            }
            else
            {
                while (i2 < s.Length && s[i2] != ' ')
                {
                    arg.Append(s[i2++]);
                }
            }

            args.Add(arg.ToString());
        }

        return args;
    }

    [Property(MaxTest = 500)]
    public bool Any_arguments_come_back_unchanged_through_the_exec_value(NonNull<string>[] arguments)
    {
        var args = arguments.Select(a => a.Get.Replace("\n", "", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal)).ToList();
        return Parse(ExecLine.Of(args)).SequenceEqual(args);
    }
}
