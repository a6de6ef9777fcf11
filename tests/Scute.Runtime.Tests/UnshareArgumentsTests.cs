using Scute.Runtime.Namespace;

namespace Scute.Runtime.Tests;

public sealed class UnshareArgumentsTests
{
    private static readonly string[] Namespaces = ["--mount", "--pid", "--ipc", "--uts", "--fork", "--kill-child"];

    [Fact]
    public void Subordinate_ranges_map_users_groups_and_root()
    {
        var args = NamespaceBackend.UnshareArguments(Specs.Spec(Specs.Ranges()));

        Assert.Equal([.. Namespaces, "--map-users=100000,1,65536", "--map-groups=200000,1,65536", "--map-root-user"], args);
    }

    [Fact]
    public void Single_id_maps_user_and_group_and_keeps_caps()
    {
        var args = NamespaceBackend.UnshareArguments(Specs.Spec(Specs.Single(1001, 1002)));

        Assert.Equal([.. Namespaces, "--map-user=1001", "--map-group=1002", "--keep-caps"], args);
    }

    [Fact]
    public void Only_one_sub_range_falls_back_to_the_single_id()
    {
        var map = Specs.Ranges() with { SubGids = null, InsideUserForHost = 1001, InsideGroupForHost = 1001 };

        var args = NamespaceBackend.UnshareArguments(Specs.Spec(map));

        Assert.DoesNotContain(args, a => a.StartsWith("--map-users", StringComparison.Ordinal));
        Assert.DoesNotContain("--map-root-user", args);
        Assert.Contains("--map-user=1001", args);
        Assert.Contains("--keep-caps", args);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Net_namespace_only_with_network_isolation(bool isolated)
    {
        foreach (var map in new[] { Specs.Single(), Specs.Ranges() })
        {
            var args = NamespaceBackend.UnshareArguments(Specs.Spec(map, isolated));

            Assert.Equal(isolated, args.Contains("--net"));
            Assert.Equal(Namespaces, args.Take(Namespaces.Length));
        }
    }

    [Fact]
    public void Never_maps_root_user_and_single_id_together()
    {
        var single = NamespaceBackend.UnshareArguments(Specs.Spec(Specs.Single(0, 0)));

        Assert.DoesNotContain("--map-root-user", single);
        Assert.Contains("--map-user=0", single);
    }
}
