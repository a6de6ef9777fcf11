using Scute.Engine.Packages;

namespace Scute.Engine.Tests.Packages;

public sealed class PackageManagerDetectorTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "scute-detect-" + Guid.NewGuid().ToString("N"));

    public PackageManagerDetectorTests() => Directory.CreateDirectory(root);

    public void Dispose() => Directory.Delete(root, recursive: true);

    private void Touch(string path)
    {
        var full = Path.Combine(root, path.TrimStart('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, "");
    }

    [Theory]
    [InlineData("apt", "/usr/bin/apt-get", "/var/lib/dpkg/status")]
    [InlineData("dnf", "/usr/bin/dnf", "/usr/bin/rpm")]
    [InlineData("zypper", "/usr/bin/zypper", "/usr/bin/rpm")]
    [InlineData("pacman", "/usr/bin/pacman", "/var/lib/pacman/local/ALPM_DB_VERSION")]
    [InlineData("apk", "/sbin/apk", "/lib/apk/db/installed")]
    public void Each_manager_is_found_by_its_program_and_database(string expected, string program, string database)
    {
        Touch(program);
        Touch(database);

        Assert.Equal(expected, PackageManagerDetector.Detect(root)?.Name);
    }

    [Fact]
    public void A_program_without_its_database_is_not_a_manager()
    {
        Touch("/usr/bin/apt-get");

        Assert.Null(PackageManagerDetector.Detect(root));
    }

    [Fact]
    public void Merged_usr_links_are_followed_inside_the_rootfs()
    {
        Touch("/usr/bin/apt-get");
        Touch("/var/lib/dpkg/status");
        File.CreateSymbolicLink(Path.Combine(root, "bin"), "usr/bin");

        Assert.True(RootfsLookup.Exists(root, "/bin/apt-get"));
        Assert.Equal("apt", PackageManagerDetector.Detect(root)?.Name);
    }

    [Fact]
    public void An_absolute_symlink_resolves_inside_the_rootfs_not_on_the_host()
    {
        // On the host /etc/passwd exists; inside this rootfs it does not, so the link leads nowhere.
        Directory.CreateDirectory(Path.Combine(root, "usr/bin"));
        File.CreateSymbolicLink(Path.Combine(root, "usr/bin/apt-get"), "/etc/passwd");
        File.CreateSymbolicLink(Path.Combine(root, "var"), "/var");
        File.CreateSymbolicLink(Path.Combine(root, "up"), "../../../../../../../../etc");

        Assert.False(RootfsLookup.Exists(root, "/usr/bin/apt-get"));
        Assert.False(RootfsLookup.Exists(root, "/var/lib/dpkg/status"));
        Assert.False(RootfsLookup.Exists(root, "/up/passwd"));
        Assert.Null(PackageManagerDetector.Detect(root));
    }

    [Fact]
    public void A_symlink_loop_is_not_found()
    {
        File.CreateSymbolicLink(Path.Combine(root, "a"), "b");
        File.CreateSymbolicLink(Path.Combine(root, "b"), "a");

        Assert.False(RootfsLookup.Exists(root, "/a/x"));
    }
}
