using Scute.Manifest.Tests.Support;
using Xunit;

namespace Scute.Manifest.Tests;

public class TomlSyntaxErrorTests
{
    [Fact]
    public void Ten_thousand_nested_arrays_are_an_error_not_a_crash()
    {
        var toml = Samples.Minimal + "\n[system]\npackages = " + new string('[', 10_000) + new string(']', 10_000) + "\n";
        var ex = Assert.Throws<ManifestException>(() => Samples.Parse(toml));
        Assert.Equal(Samples.ManifestPath, ex.FilePath);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Ten_thousand_nested_inline_tables_are_an_error_not_a_crash()
    {
        var toml = "x = " + string.Concat(Enumerable.Repeat("{a=", 10_000)) + "1" + new string('}', 10_000) + "\n";
        var ex = Assert.Throws<ManifestException>(() => Samples.Parse(toml));
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Duplicate_key_names_the_second_line()
    {
        var ex = ErrorAssert.Fails("manifest_version = 1\n[base]\nimage = \"a\"\nimage = \"b\"\n", 4, "base.image");
        Assert.Contains("image", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_table_names_the_second_header()
    {
        ErrorAssert.Fails(Samples.Minimal + "\n[hardware]\ngpu = true\n[hardware]\naudio = true\n", 6, null);
    }

    [Theory]
    [InlineData("manifest_version = 1\n[base]\nimage = \n", 3)]
    [InlineData("manifest_version = 1\n[base\nimage = \"x\"\n", 2)]
    [InlineData("manifest_version = 1\n[base]\nimage = \"unterminated\n", 3)]
    [InlineData("manifest_version = 1\n[base]\nimage = \"x\" junk\n", 3)]
    public void Broken_toml_names_the_line(string toml, int line)
    {
        // A broken "key = value" line is named by its key; a broken header has none.
        ErrorAssert.Fails(toml, line, line == 3 ? "base.image" : null);
    }

    [Theory]
    [InlineData("\0")]
    [InlineData("manifest_version = 1\r\n[base]\r\nimage = \"\\u0000\"\r\n")]
    [InlineData("[a]\n[a.b]\n[[a.b]]\n")]
    [InlineData("a.b = 1\na.b.c = 2\n")]
    [InlineData("\"\" = 1\n")]
    [InlineData("[base]\nimage = { a = 1 }\nmanifest_version = 1\n")]
    public void Odd_input_only_ever_gives_manifest_exceptions(string toml)
    {
        var ex = Assert.Throws<ManifestException>(() => Samples.Parse(toml));
        Assert.DoesNotContain('\n', ex.Message);
    }
}
