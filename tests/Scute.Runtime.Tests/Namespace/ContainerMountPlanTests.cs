using Scute.Runtime.Namespace;

namespace Scute.Runtime.Tests.Namespace;

/// <summary>The container mounts' decisions, without a namespace: which folders, in what order, with which options.</summary>
public sealed class ContainerMountPlanTests
{
    [Fact]
    public void The_overlay_stacks_the_lower_folders_topmost_first_over_the_upper()
    {
        var spec = Specs.Spec(Specs.Single()) with { LowerDirs = ["/s/layers/packages", "/s/images/x/rootfs"] };

        Assert.Equal("lowerdir=/s/layers/packages:/s/images/x/rootfs,upperdir=/store/envs/e/upper,workdir=/store/envs/e/work", ContainerMountPlan.OverlayOptions(spec));
    }

    [Theory]
    [InlineData("/store:x/upper")]
    [InlineData("/store,lowerdir=/etc")]
    public void A_folder_that_would_split_the_overlay_options_is_refused(string upper)
    {
        var spec = Specs.Spec(Specs.Single()) with { UpperDir = upper };

        var e = Assert.Throws<ContainerSetupException>(() => ContainerMountPlan.OverlayOptions(spec));

        Assert.Contains(upper, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_read_only_root_gets_private_tmp_var_tmp_and_run_in_that_order()
    {
        Assert.Equal([("/tmp", "1777"), ("/var/tmp", "1777"), ("/run", "755")], ContainerMountPlan.SystemTmpfs(readOnlyRoot: true));
        Assert.Equal([("/run", "755")], ContainerMountPlan.SystemTmpfs(readOnlyRoot: false));
    }

    [Fact]
    public void A_user_owned_tmpfs_belongs_to_the_command_user_and_another_to_root()
    {
        Assert.Equal("mode=700,uid=1001,gid=1002", ContainerMountPlan.TmpfsOptions(new TmpfsMount("/run/user/1001", "700", UserOwned: true), 1001, 1002));
        Assert.Equal("mode=1777", ContainerMountPlan.TmpfsOptions(new TmpfsMount("/tmp/.X11-unix", "1777", UserOwned: false), 1001, 1002));
    }

    [Fact]
    public void Devpts_names_the_tty_group_only_when_groups_are_mapped()
    {
        Assert.EndsWith(",gid=5", ContainerMountPlan.DevPtsOptions(groupsMapped: true), StringComparison.Ordinal);
        Assert.DoesNotContain("gid=", ContainerMountPlan.DevPtsOptions(groupsMapped: false), StringComparison.Ordinal);
    }

    [Fact]
    public void A_device_node_lands_at_its_own_path_under_the_new_dev()
    {
        Assert.Equal("/merged/dev/dri/renderD128", ContainerMountPlan.DeviceTarget("/merged/dev", new DeviceNode("/dev/dri/renderD128", "/dev/dri/renderD128")));
    }
}
