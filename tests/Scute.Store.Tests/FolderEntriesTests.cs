namespace Scute.Store.Tests;

/// <summary>The one-getdents check behind NeedsRecovery: the same answer as listing the folder, and the listing kept for what it alone reports.</summary>
public sealed class FolderEntriesTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void Answers_as_a_listing_of_the_folder_would()
    {
        var folder = Directory.CreateDirectory(dir.Combine("f")).FullName;
        Assert.False(FolderEntries.Any(folder));
        Assert.False(FolderEntries.Any(dir.Combine("missing")));
        Assert.False(FolderEntries.Any(dir.Combine("missing", "below")));

        File.WriteAllText(Path.Combine(folder, ".hidden"), "");
        Assert.True(FolderEntries.Any(folder));
        File.Delete(Path.Combine(folder, ".hidden"));
        for (var i = 0; i < 200; i++)
        {
            Directory.CreateDirectory(Path.Combine(folder, new string('x', 200) + i)).Delete();
        }

        Directory.CreateDirectory(Path.Combine(folder, "sub"));
        Assert.True(FolderEntries.Any(folder));
    }

    [Fact]
    public void What_is_not_a_folder_is_left_to_the_listing()
    {
        File.WriteAllText(dir.Combine("file"), "");

        Assert.Null(FolderEntries.Any(dir.Combine("file")));
        Assert.Null(FolderEntries.Any(dir.Combine("file", "below")));
    }
}
