namespace Scute.Core.Tests;

public class AtomicFileTests
{
    [Fact]
    public void Writes_and_replaces_without_leaving_temp_files()
    {
        using var tmp = new TempDir();
        var path = tmp.Combine("f.json");
        AtomicFile.WriteAllText(path, "first");
        AtomicFile.WriteAllText(path, "second ü");
        Assert.Equal("second ü", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(tmp.Path));
        // UTF-8 without BOM.
        Assert.Equal((byte)'s', File.ReadAllBytes(path)[0]);
    }

    [Fact]
    public void A_temp_folder_holds_the_write_until_its_rename_and_nothing_lands_beside_the_target()
    {
        using var tmp = new TempDir();
        var target = Directory.CreateDirectory(tmp.Combine("layers")).FullName;
        var staging = Directory.CreateDirectory(tmp.Combine("staging")).FullName;
        var path = Path.Combine(target, "f");
        string[] seen = [];
        AtomicFile.Write(path, s =>
        {
            s.Write([1, 2]);
            seen = Directory.GetFiles(staging); // the unfinished write is in staging, not beside the target
        }, staging);
        Assert.Single(seen);
        Assert.Equal([1, 2], File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(target));
        Assert.Empty(Directory.GetFiles(staging));
    }

    [Fact]
    public void Failed_write_keeps_old_content_and_removes_temp()
    {
        using var tmp = new TempDir();
        var path = tmp.Combine("f");
        AtomicFile.WriteAllBytes(path, [1, 2, 3]);
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.Write([9, 9, 9, 9]);
            throw new InvalidOperationException("boom");
        }));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(tmp.Path));
    }
}
