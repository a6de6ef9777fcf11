using Scute.Runtime;
using Scute.Runtime.Namespace;

namespace Scute.Runtime.Tests.Namespace;

/// <summary>Mount targets are made inside the new root without following any symlink of the image.</summary>
public sealed class RootfsPathsTests : IDisposable
{
    private readonly TempDir root = new();
    private readonly TempDir outside = new();

    [Fact]
    public void Missing_folders_are_made_and_existing_ones_kept()
    {
        Directory.CreateDirectory(Path.Combine(root.Path, "var"));
        root.Write("var/keep", "x");

        var made = RootfsPaths.EnsureDirectory(root.Path, "/var/lib/app");

        Assert.True(Directory.Exists(made));
        Assert.Equal(Path.Combine(root.Path, "var", "lib", "app"), Path.GetFullPath(made));
        Assert.Equal("x", File.ReadAllText(Path.Combine(root.Path, "var", "keep")));
    }

    [Fact]
    public void A_symlink_on_the_way_is_refused_and_nothing_is_made_behind_it()
    {
        File.CreateSymbolicLink(Path.Combine(root.Path, "opt"), outside.Path);

        var e = Assert.Throws<ContainerSetupException>(() => RootfsPaths.EnsureDirectory(root.Path, "/opt/data"));

        Assert.Contains("symlink", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside.Path));
    }

    [Fact]
    public void A_file_where_a_folder_is_needed_is_refused()
    {
        root.Write("srv", "");

        var e = Assert.Throws<ContainerSetupException>(() => RootfsPaths.EnsureDirectory(root.Path, "/srv/www"));

        Assert.Contains("is a file", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/a/../b")]
    [InlineData("/a/./b")]
    public void Dot_parts_are_refused(string target) =>
        Assert.Throws<ContainerSetupException>(() => RootfsPaths.EnsureDirectory(root.Path, target));

    [Fact]
    public void A_file_target_is_made_empty_or_kept_as_it_is()
    {
        root.Write("existing", "content");

        var made = RootfsPaths.EnsureFile(root.Path, "/etc/app.conf");
        var kept = RootfsPaths.EnsureFile(root.Path, "/existing");

        Assert.Equal(0, new FileInfo(made).Length);
        Assert.Equal("content", File.ReadAllText(kept));
    }

    [Fact]
    public void A_symlink_as_the_file_target_is_refused_and_its_target_untouched()
    {
        var victim = outside.Write("victim", "host");
        File.CreateSymbolicLink(Path.Combine(root.Path, "link"), victim);
        File.CreateSymbolicLink(Path.Combine(root.Path, "dangling"), Path.Combine(outside.Path, "new"));

        Assert.Throws<ContainerSetupException>(() => RootfsPaths.EnsureFile(root.Path, "/link"));
        Assert.Throws<ContainerSetupException>(() => RootfsPaths.EnsureFile(root.Path, "/dangling"));

        Assert.Equal("host", File.ReadAllText(victim));
        Assert.False(File.Exists(Path.Combine(outside.Path, "new")));
    }

    [Fact]
    public void FileKind_tells_folders_files_links_and_missing_paths_apart()
    {
        var file = root.Write("file", "");
        var link = Path.Combine(root.Path, "link");
        File.CreateSymbolicLink(link, file);

        Assert.Equal(FileKind.Directory, FileKind.Of(root.Path, follow: false));
        Assert.Equal(FileKind.Regular, FileKind.Of(file, follow: false));
        Assert.Equal(FileKind.Symlink, FileKind.Of(link, follow: false));
        Assert.Equal(FileKind.Regular, FileKind.Of(link, follow: true));
        Assert.Equal(FileKind.Missing, FileKind.Of(Path.Combine(root.Path, "none"), follow: true));
        Assert.NotEqual(FileKind.Missing, FileKind.Of("/dev/null", follow: true));
    }

    public void Dispose()
    {
        root.Dispose();
        outside.Dispose();
    }
}
