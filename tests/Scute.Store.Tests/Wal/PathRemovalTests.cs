using Scute.Store.Wal;

namespace Scute.Store.Tests.Wal;

/// <summary>Tree removal (gc, destroy, restore, WAL rollback) never deletes anything through a symlink.</summary>
public sealed class PathRemovalTests : IDisposable
{
    private readonly TempDir tmp = new();
    private readonly string outside;
    private readonly string tree;

    public PathRemovalTests()
    {
        outside = tmp.Combine("outside");
        Directory.CreateDirectory(Path.Combine(outside, "sub"));
        File.WriteAllText(Path.Combine(outside, "keep.txt"), "host");
        File.WriteAllText(Path.Combine(outside, "sub", "keep.txt"), "host");

        tree = tmp.Combine("tree");
        Directory.CreateDirectory(Path.Combine(tree, "a", "b"));
        File.WriteAllText(Path.Combine(tree, "a", "b", "f"), "x");
        File.WriteAllText(Path.Combine(tree, "top"), "x");
    }

    public void Dispose() => tmp.Dispose();

    [Fact]
    public void Removes_symlinks_themselves_and_read_only_folders()
    {
        File.CreateSymbolicLink(Path.Combine(tree, "to-folder"), outside);
        File.CreateSymbolicLink(Path.Combine(tree, "a", "to-file"), Path.Combine(outside, "keep.txt"));
        Directory.CreateDirectory(Path.Combine(tree, "work", "work", "inner"));
        File.CreateSymbolicLink(Path.Combine(tree, "work", "work", "inner", "up"), outside);
        File.SetUnixFileMode(Path.Combine(tree, "work", "work"), UnixFileMode.None);
        File.SetUnixFileMode(Path.Combine(tree, "a"), (UnixFileMode)0b101_101_101);

        PathRemoval.Remove(tree);

        Assert.False(Path.Exists(tree));
        AssertOutsideIntact();
    }

    [Fact]
    public void Never_deletes_through_a_folder_swapped_for_a_symlink()
    {
        var swapped = false;
        void Swap(string relative)
        {
            if (relative == "tree/a" && !swapped)
            {
                // The real folder moves to a name the listing has not seen; a symlink to the host takes its place.
                swapped = true;
                Directory.Move(Path.Combine(tree, "a"), Path.Combine(tree, "a-moved"));
                File.CreateSymbolicLink(Path.Combine(tree, "a"), outside);
            }
        }

        PathRemoval.Remove(tree, Swap);

        Assert.True(swapped);
        Assert.False(Path.Exists(tree));
        AssertOutsideIntact();
    }

    [Fact]
    public void A_path_that_is_a_symlink_loses_only_the_link()
    {
        var link = tmp.Combine("link");
        File.CreateSymbolicLink(link, outside);

        PathRemoval.Remove(link);

        Assert.False(Path.Exists(link));
        Assert.Null(new FileInfo(link).LinkTarget);
        AssertOutsideIntact();
    }

    [Fact]
    public void Missing_paths_and_plain_files_are_fine()
    {
        PathRemoval.Remove(tmp.Combine("missing"));
        PathRemoval.Remove(tmp.Combine("missing", "below"));
        PathRemoval.Remove(Path.Combine(tree, "top"));

        Assert.False(File.Exists(Path.Combine(tree, "top")));
        Assert.True(Directory.Exists(Path.Combine(tree, "a")));
    }

    private void AssertOutsideIntact()
    {
        Assert.Equal("host", File.ReadAllText(Path.Combine(outside, "keep.txt")));
        Assert.Equal("host", File.ReadAllText(Path.Combine(outside, "sub", "keep.txt")));
        Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(outside) & (UnixFileMode)0x1FF);
    }
}
