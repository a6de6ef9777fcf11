namespace Scute.Runtime.Tests;

public sealed class IdMapResolverTests : IDisposable
{
    private readonly TempDir temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Finds_the_range_by_user_name()
    {
        var file = temp.Write("subuid", "alice:100000:65536\nbob:165536:65536\n");

        Assert.Equal(new IdRange(165536, 65536), IdMapResolver.FindRange(file, "bob", 4000));
    }

    [Fact]
    public void Finds_the_range_by_uid_number()
    {
        var file = temp.Write("subuid", "alice:100000:65536\n4000:300000:65536\n");

        Assert.Equal(new IdRange(300000, 65536), IdMapResolver.FindRange(file, "carol", 4000));
    }

    [Fact]
    public void Range_smaller_than_65536_is_skipped_for_a_later_big_one()
    {
        var file = temp.Write("subuid", "alice:100000:1000\nalice:500000:70000\n");

        Assert.Equal(new IdRange(500000, 65536), IdMapResolver.FindRange(file, "alice", 4000));
    }

    [Fact]
    public void Only_small_ranges_give_null()
    {
        var file = temp.Write("subuid", "alice:100000:65535\n");

        Assert.Null(IdMapResolver.FindRange(file, "alice", 4000));
    }

    [Fact]
    public void Other_users_and_malformed_lines_give_null()
    {
        var file = temp.Write("subuid", "bob:100000:65536\nalice:x:65536\nalice:100000\n# alice:1:65536\nalice:-5:65536\n");

        Assert.Null(IdMapResolver.FindRange(file, "alice", 4000));
    }

    [Fact]
    public void User_name_prefix_does_not_match()
    {
        var file = temp.Write("subuid", "alice2:100000:65536\n40001:200000:65536\n");

        Assert.Null(IdMapResolver.FindRange(file, "alice", 4000));
    }

    [Fact]
    public void Missing_file_gives_null()
    {
        Assert.Null(IdMapResolver.FindRange(Path.Combine(temp.Path, "absent"), "alice", 4000));
    }

    [SkippableFact]
    public void Resolve_uses_the_subordinate_ranges_when_newuidmap_exists()
    {
        Skip.IfNot(File.Exists(IdMapResolver.NewUidMap) && File.Exists(IdMapResolver.NewGidMap), "newuidmap/newgidmap not installed (package uidmap)");
        var user = Environment.UserName;
        var subuid = temp.Write("subuid", $"{user}:100000:65536\n");
        var subgid = temp.Write("subgid", $"{user}:200000:65536\n");

        var map = IdMapResolver.Resolve(1001, 1001, subuid, subgid);

        Assert.Equal(new IdRange(100000, 65536), map.SubUids);
        Assert.Equal(new IdRange(200000, 65536), map.SubGids);
        Assert.Equal(0, map.InsideUserForHost);
        Assert.Equal(0, map.InsideGroupForHost);
        Assert.Equal(UidInfo.EffectiveUid, map.HostUid);
        Assert.Equal(UidInfo.EffectiveGid, map.HostGid);
    }

    [SkippableFact]
    public void Resolve_falls_back_to_the_single_id_when_the_target_is_outside_the_range()
    {
        Skip.IfNot(File.Exists(IdMapResolver.NewUidMap) && File.Exists(IdMapResolver.NewGidMap), "newuidmap/newgidmap not installed (package uidmap)");
        var user = Environment.UserName;
        var subuid = temp.Write("subuid", $"{user}:100000:65536\n");
        var subgid = temp.Write("subgid", $"{user}:200000:65536\n");

        var map = IdMapResolver.Resolve(70000, 1001, subuid, subgid);

        Assert.Null(map.SubUids);
        Assert.Equal(70000, map.InsideUserForHost);
        Assert.Equal(1001, map.InsideGroupForHost);
    }

    [Fact]
    public void Resolve_without_subordinate_files_maps_the_single_id()
    {
        var map = IdMapResolver.Resolve(1001, 1002, Path.Combine(temp.Path, "no-subuid"), Path.Combine(temp.Path, "no-subgid"));

        Assert.Null(map.SubUids);
        Assert.Null(map.SubGids);
        Assert.Equal(1001, map.InsideUserForHost);
        Assert.Equal(1002, map.InsideGroupForHost);
        Assert.Equal(UidInfo.EffectiveUid, map.HostUid);
    }

    [Fact]
    public void Single_maps_the_invoking_user_to_the_given_ids()
    {
        var map = IdMapResolver.Single(1001, 1002);

        Assert.Equal(UidInfo.EffectiveUid, map.HostUid);
        Assert.Equal(UidInfo.EffectiveGid, map.HostGid);
        Assert.Equal(1001, map.InsideUserForHost);
        Assert.Equal(1002, map.InsideGroupForHost);
        Assert.Null(map.SubUids);
    }
}
