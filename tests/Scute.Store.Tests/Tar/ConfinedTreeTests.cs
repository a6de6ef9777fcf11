using Scute.Store.Tar;

namespace Scute.Store.Tests.Tar;

/// <summary>
/// Path resolution below the target: one openat2 call on this kernel (5.6+), refusing what the
/// component walk refuses, and the walk itself when openat2 is not to be used.
/// </summary>
public sealed class ConfinedTreeTests : IDisposable
{
    private readonly TempDir _tmp = new();
    private readonly string _root;

    public ConfinedTreeTests()
    {
        _root = _tmp.Combine("root");
        Directory.CreateDirectory(Path.Combine(_root, "a", "b"));
        Directory.CreateDirectory(_tmp.Combine("outside"));
        File.CreateSymbolicLink(Path.Combine(_root, "inside-link"), "a");
        File.CreateSymbolicLink(Path.Combine(_root, "a", "out"), _tmp.Combine("outside"));
        File.WriteAllText(Path.Combine(_root, "a", "file"), "x");
    }

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void Openat2_opens_a_folder_chain_in_one_call()
    {
        using var tree = ConfinedTree.Open(_root);
        using var dir = tree.TryOpenBeneath("a/b", out var errno);
        Assert.NotNull(dir);
        Assert.Equal(0, errno);
    }

    [Theory]
    [InlineData("inside-link/b", Interop.ELoop)]
    [InlineData("a/out", Interop.ENotDir)] // a symlink as the last component, opened O_DIRECTORY | O_NOFOLLOW
    [InlineData("a/file", Interop.ENotDir)]
    [InlineData("a/missing", Interop.ENoEnt)]
    [InlineData("a/../..", Interop.EXDev)]
    public void Openat2_refuses_symlinks_non_folders_and_escapes(string path, int expected)
    {
        using var tree = ConfinedTree.Open(_root);
        var dir = tree.TryOpenBeneath(path, out var errno);
        Assert.Null(dir);
        Assert.Equal(expected, errno);
    }

    [Fact]
    public void The_walk_seam_never_calls_openat2_and_still_refuses_symlinks()
    {
        using var tree = ConfinedTree.Open(_root, walkEachComponent: true);
        Assert.Null(tree.TryOpenBeneath("a/b", out var errno));
        Assert.Equal(Interop.ENoSys, errno);

        using var walked = tree.OpenDir(["a", "b"], 2, create: false, "a/b/x");
        Assert.NotNull(walked);
        Assert.Throws<UnsafeArchiveException>(() => tree.OpenDir(["inside-link", "b"], 2, create: false, "inside-link/b/x"));
    }
}
