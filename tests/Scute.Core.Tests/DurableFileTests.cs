namespace Scute.Core.Tests;

public class DurableFileTests
{
    [Fact]
    public void Append_adds_to_the_end_and_creates_the_file_once()
    {
        using var tmp = new TempDir();
        var path = tmp.Combine("audit.log");
        DurableFile.AppendDurably(path, "one\n"u8);
        DurableFile.AppendDurably(path, "two\n"u8);
        Assert.Equal("one\ntwo\n", File.ReadAllText(path));
        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            File.GetUnixFileMode(path) & ~(UnixFileMode.GroupWrite | UnixFileMode.OtherWrite));
    }

    [Fact]
    public void Append_into_a_missing_folder_is_one_io_error_naming_the_path()
    {
        using var tmp = new TempDir();
        var path = tmp.Combine("missing", "audit.log");
        var e = Assert.Throws<IOException>(() => DurableFile.AppendDurably(path, "x"u8));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Syncing_a_file_as_a_folder_is_refused()
    {
        using var tmp = new TempDir();
        var path = tmp.Combine("f");
        File.WriteAllText(path, "x");
        var e = Assert.Throws<IOException>(() => DurableFile.SyncFolder(path));
        Assert.Contains("cannot open folder", e.Message, StringComparison.Ordinal);
    }
}
