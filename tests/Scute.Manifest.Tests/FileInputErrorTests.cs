using Scute.Manifest.Tests.Support;
using Xunit;

namespace Scute.Manifest.Tests;

public class FileInputErrorTests
{
    [Fact]
    public void Invalid_utf8_names_file_and_line()
    {
        using var folder = new TempFolder();
        var bytes = "manifest_version = 1\n[base]\nimage = \"x"u8.ToArray().Concat(new byte[] { 0xC3, 0x28, (byte)'"', (byte)'\n' }).ToArray();
        var path = folder.WriteBytes("scute.toml", bytes);
        var ex = Assert.Throws<ManifestException>(() => ManifestParser.ParseFile(path));
        ErrorAssert.AssertShape(ex, path, 3, null);
        Assert.Contains("UTF-8", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void File_over_one_mebibyte_is_rejected()
    {
        using var folder = new TempFolder();
        var text = Samples.Minimal + "\n# " + new string('x', 1024 * 1024) + "\n";
        var path = folder.Write("scute.toml", text);
        var ex = Assert.Throws<ManifestException>(() => ManifestParser.ParseFile(path));
        ErrorAssert.AssertShape(ex, path, null, null);
        Assert.Contains("1 MiB", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "scute.toml");
        var ex = Assert.Throws<ManifestException>(() => ManifestParser.ParseFile(path));
        ErrorAssert.AssertShape(ex, path, null, null);
    }

    [Fact]
    public void Missing_folder()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "nope", "scute.toml");
        Assert.Throws<ManifestException>(() => ManifestParser.ParseFile(path));
    }

    [Fact]
    public void Folder_instead_of_file()
    {
        using var folder = new TempFolder();
        var ex = Assert.Throws<ManifestException>(() => ManifestParser.ParseFile(folder.Path));
        ErrorAssert.AssertShape(ex, folder.Path, null, null);
    }

    [SkippableFact]
    public void Permission_denied()
    {
        Skip.If(Environment.UserName == "root" || OperatingSystem.IsWindows(), "root reads any file; Windows has no Unix modes");
        using var folder = new TempFolder();
        var path = folder.Write("scute.toml", Samples.Minimal);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.None);
        }

        var ex = Assert.Throws<ManifestException>(() => ManifestParser.ParseFile(path));
        ErrorAssert.AssertShape(ex, path, null, null);
    }

    [Fact]
    public void Byte_order_mark_is_accepted()
    {
        using var folder = new TempFolder();
        var path = folder.WriteBytes("scute.toml", [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes(Samples.Minimal)]);
        Assert.Equal("debian/bookworm", ManifestParser.ParseFile(path).BaseImage);
    }

    [Fact]
    public void Path_with_control_characters_gives_a_one_line_message()
    {
        var ex = Assert.Throws<ManifestException>(() => ManifestParser.ParseFile("/nonexistent\n/\u001b[31mscute.toml"));
        Assert.DoesNotContain('\n', ex.Message);
        Assert.DoesNotContain('\u001b', ex.Message);
    }
}
