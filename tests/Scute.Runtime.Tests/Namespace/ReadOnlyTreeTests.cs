using Scute.Runtime.Namespace;

namespace Scute.Runtime.Tests.Namespace;

public sealed class ReadOnlyTreeTests
{
    private static readonly string[] MountInfo =
    [
        "22 1 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw",
        "23 22 0:6 / /sys/kernel/security rw,nosuid,nodev,noexec,relatime shared:8 - securityfs securityfs rw",
        "30 22 0:26 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755",
        "40 1 0:30 / /sysroot rw,relatime - ext4 /dev/vda1 rw",
        "41 1 0:31 / /home/me/with\\040space rw,relatime - ext4 /dev/vda2 rw",
    ];

    [Fact]
    public void Mount_points_and_their_per_mount_options_are_read_with_escapes_undone()
    {
        var parsed = ReadOnlyTree.ParseMountInfo(MountInfo).ToList();

        Assert.Equal(("/sys", "rw,nosuid,nodev,noexec,relatime"), parsed[0]);
        Assert.Equal("/home/me/with space", parsed[4].Point);
    }

    [Fact]
    public void Below_a_target_means_the_target_and_its_subfolders_not_a_sibling_with_the_same_prefix()
    {
        var under = ReadOnlyTree.Under(ReadOnlyTree.ParseMountInfo(MountInfo), "/sys").Select(m => m.Point).ToList();

        Assert.Equal(["/sys", "/sys/kernel/security", "/sys/fs/cgroup"], under);
    }
}
