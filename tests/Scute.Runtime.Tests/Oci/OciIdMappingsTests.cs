using Scute.Runtime.Oci;

namespace Scute.Runtime.Tests.Oci;

public sealed class OciIdMappingsTests
{
    private static readonly IdRange Range = new(100000, 65536);

    [Fact]
    public void The_users_own_id_inside_keeps_it_with_the_range_around_it()
    {
        var m = OciIdMappings.Container(1001, Range, "uid");

        // container 0..1000 → outer 1..1001 (subordinate), 1001 → outer 0 (the user), 1002.. → outer 1002..
        Assert.Equal([new OciIdMapping(0, 1, 1001), new OciIdMapping(1001, 0, 1), new OciIdMapping(1002, 1002, 64535)], m);
        Assert.Equal(65537, m.Sum(x => x.Size));
    }

    [Fact]
    public void Root_inside_maps_identically()
    {
        Assert.Equal([new OciIdMapping(0, 0, 1), new OciIdMapping(1, 1, 65536)], OciIdMappings.Container(0, Range, "uid"));
    }

    [Fact]
    public void Without_subordinate_ids_only_root_inside_can_be_mapped()
    {
        Assert.Equal([new OciIdMapping(0, 0, 1)], OciIdMappings.Container(0, null, "uid"));

        var e = Assert.Throws<ContainerSetupException>(() => OciIdMappings.Container(1001, null, "gid"));

        Assert.Contains("/etc/subgid", e.Message, StringComparison.Ordinal);
        Assert.Contains("backend \"namespace\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_outer_namespace_makes_the_user_root_with_its_ranges()
    {
        Assert.Equal(
            ["--map-users=100000,1,65536", "--map-groups=200000,1,65536", "--map-root-user"],
            OciIdMappings.OuterUnshareArguments(Range, new IdRange(200000, 65536)));
        Assert.Equal(["--map-root-user"], OciIdMappings.OuterUnshareArguments(null, null));
    }
}
