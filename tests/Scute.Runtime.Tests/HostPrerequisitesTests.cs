using Scute.Runtime.Namespace;

namespace Scute.Runtime.Tests;

public sealed class HostPrerequisitesTests
{
    [Fact]
    public void Namespace_backend_checks_are_the_named_ones_in_order()
    {
        var checks = HostPrerequisites.ForNamespaceBackend();

        Assert.Equal(
            ["unshare", "user namespaces", "overlayfs", "newuidmap", "fuse-overlayfs", "busybox (static)"],
            checks.Select(c => c.Name));
        Assert.All(checks, c => Assert.False(string.IsNullOrWhiteSpace(c.Detail)));
    }

    [Theory]
    [InlineData("unshare", NamespaceBackend.UnsharePath)]
    [InlineData("newuidmap", IdMapResolver.NewUidMap)]
    [InlineData("fuse-overlayfs", "/usr/bin/fuse-overlayfs")]
    [InlineData("busybox (static)", "/bin/busybox")]
    public void File_checks_reflect_whether_the_file_exists(string name, string path)
    {
        var check = HostPrerequisites.ForNamespaceBackend().Single(c => c.Name == name);

        Assert.Equal(File.Exists(path), check.Ok);
        Assert.StartsWith(path, check.Detail, StringComparison.Ordinal);
        Assert.Equal(!File.Exists(path), check.Detail.Contains("missing", StringComparison.Ordinal));
    }

    [Fact]
    public void User_namespace_check_reports_the_sysctl()
    {
        var check = HostPrerequisites.ForNamespaceBackend().Single(c => c.Name == "user namespaces");

        Assert.StartsWith("max_user_namespaces=", check.Detail, StringComparison.Ordinal);
        var max = File.Exists("/proc/sys/user/max_user_namespaces") ? File.ReadAllText("/proc/sys/user/max_user_namespaces").Trim() : null;
        if (max == "0")
        {
            Assert.False(check.Ok);
        }
    }

    [Fact]
    public void Namespace_backend_reports_the_host_checks()
    {
        var backend = new NamespaceBackend(["/bin/true"]);

        Assert.Equal("namespace", backend.Name);
        Assert.Equal(HostPrerequisites.ForNamespaceBackend(), backend.CheckPrerequisites());
    }
}
