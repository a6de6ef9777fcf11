namespace Scute.Runtime.Tests;

internal static class Specs
{
    public static IdMap Single(int insideUid = 1001, int insideGid = 1001) => new()
    {
        HostUid = 4242,
        HostGid = 4343,
        InsideUserForHost = insideUid,
        InsideGroupForHost = insideGid,
    };

    public static IdMap Ranges() => new()
    {
        HostUid = 4242,
        HostGid = 4343,
        InsideUserForHost = 0,
        InsideGroupForHost = 0,
        SubUids = new IdRange(100000, 65536),
        SubGids = new IdRange(200000, 65536),
    };

    public static RunSpec Spec(IdMap map, bool network = false) => new()
    {
        LowerDirs = ["/store/images/x/rootfs"],
        UpperDir = "/store/envs/e/upper",
        WorkDir = "/store/envs/e/work",
        MergedDir = "/store/envs/e/merged",
        Command = ["/bin/sh", "-c", "true"],
        Uid = 1001,
        Gid = 1001,
        NetworkIsolation = network,
        IdMap = map,
    };
}
